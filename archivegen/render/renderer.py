"""Render one page to bytes: a pure function of (site, theme, page)."""

from __future__ import annotations

import dataclasses
import traceback
from pathlib import Path

import jinja2

from archivegen.errors import TemplateError
from archivegen.graph.model import (
    ArticlePage,
    FeedPage,
    NewsSitemapPage,
    Page,
    RedirectMapPage,
    RobotsPage,
    SiteInfo,
    SitemapPage,
)
from archivegen.render.environment import make_environment
from archivegen.render.feeds import (
    render_feed,
    render_news_sitemap,
    render_robots,
    render_sitemap,
)
from archivegen.render.images import body_with_pictures
from archivegen.render.redirects import render_redirect_map


class Renderer:
    """Holds the build's Jinja environment; `render` turns any page into its file's bytes."""

    def __init__(
        self,
        site: SiteInfo,
        template_dirs: list[Path],
        theme_dirs: list[Path],
        compiled_dir: Path | None = None,
    ) -> None:
        """`compiled_dir`: where compiled templates are kept between builds (Jinja checks
        each against its source), so a process renders without compiling the theme."""
        self.site = site
        self.template_dirs = template_dirs
        self.env = make_environment(template_dirs, theme_dirs, site, compiled_dir)

    def render(self, page: Page) -> bytes:
        """The bytes of the page's output file."""
        if isinstance(page, FeedPage):
            return render_feed(page, self.site)
        if isinstance(page, SitemapPage):
            return render_sitemap(page, self.site)
        if isinstance(page, NewsSitemapPage):
            return render_news_sitemap(page, self.site)
        if isinstance(page, RobotsPage):
            return render_robots(page, self.site)
        if isinstance(page, RedirectMapPage):
            return render_redirect_map(page)
        if isinstance(page, ArticlePage) and page.article.body_images:
            page = with_pictures(page)
        return self.render_template(page.template, page).encode("utf-8")

    def render_template(self, name: str, page: Page) -> str:
        """Render a named template with `page` (and `site`, a global)."""
        try:
            template = self.env.get_template(name)
            return template.render(page=page)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                exc.message or "syntax error",
                path=self._shown(exc.filename, exc.name),
                line=exc.lineno,
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template {exc.name!r} not found in {self._dirs()}") from None
        except Exception as exc:  # an error inside a template: name the template and line
            path, line = _template_frame(exc)
            raise TemplateError(
                f"{type(exc).__name__}: {exc}", path=self._shown(path, name), line=line
            ) from None

    def _dirs(self) -> str:
        return ", ".join(str(d) for d in self.template_dirs)

    def _shown(self, filename: str | None, name: str | None) -> str:
        return filename or name or "<template>"


def with_pictures(page: ArticlePage) -> ArticlePage:
    """The page with its body's local images as <picture>s: in `article.body_html`, so a
    theme's own article.html shows them as the default theme does."""
    article = page.article
    body = body_with_pictures(article.body_html, article.body_images)
    return dataclasses.replace(page, article=dataclasses.replace(article, body_html=body))


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in an exception's traceback (Jinja rewrites it)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2", ".jinja")):
            found = (frame.filename, frame.lineno)
    return found
