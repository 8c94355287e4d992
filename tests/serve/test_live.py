"""LiveHub: the token that makes tabs reload, and knowing when a reloaded tab is back."""

from __future__ import annotations

import json
import threading

from archivegen.serve.live import LiveHub


def test_a_changed_build_gives_a_new_token_and_an_unchanged_one_does_not() -> None:
    hub = LiveHub()
    first = hub.state.build
    hub.built(changed=False)
    assert hub.state.build == first
    hub.built(changed=True)
    assert hub.state.build != first


def test_slow_work_waits_for_a_reloaded_tab_to_come_back() -> None:
    hub = LiveHub()
    tab = hub.subscribe()
    hub.built(changed=True)
    assert not hub.wait_for_reloads(timeout=0.05)  # the tab has not come back yet
    hub.unsubscribe(tab)
    threading.Timer(0.05, hub.subscribe).start()  # the reloaded page connects again
    assert hub.wait_for_reloads(timeout=5)


def test_with_no_tab_open_nothing_is_waited_for() -> None:
    hub = LiveHub()
    hub.built(changed=True)
    assert hub.wait_for_reloads(timeout=0)


def test_a_build_that_moved_articles_tells_the_tabs_where_they_went() -> None:
    hub = LiveHub()
    stream = hub.subscribe()
    stream.get(timeout=1)
    hub.built(changed=True, moved=(("/lama/", "/baru/"),))
    state = stream.get(timeout=1)
    assert state is not None
    assert json.loads(state.to_json())["moved"] == {"/lama/": "/baru/"}
    hub.built(changed=False, moved=(("/x/", "/y/"),))  # nothing written: no tab moves
    state = stream.get(timeout=1)
    assert state is not None and json.loads(state.to_json())["moved"] == {}
