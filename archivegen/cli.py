"""The commands: parse arguments, call one function, print the outcome."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from archivegen import __version__
from archivegen.build import BuildOptions, build_site
from archivegen.config import CONFIG_FILE, SiteConfig, load_config
from archivegen.console import (
    BarProgress,
    ServeConsole,
    confirm_deletions,
    print_build_summary,
    print_check_report,
    print_deploy_report,
    print_duplicate_report,
    print_error,
    print_import_report,
    say,
)
from archivegen.errors import ArchivegenError
from archivegen.scaffold import create_site

if TYPE_CHECKING:
    from archivegen.importers import ImportReport, ImportSettings

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Print an ArchivegenError as its message, exit 1; a traceback only with --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ArchivegenError as exc:
            if kwargs.get("debug"):
                raise
            print_error(exc)
            sys.exit(1)
        except OSError as exc:  # the disk, not the input: full, read-only, gone
            if kwargs.get("debug"):
                raise
            print_error(ArchivegenError(os_error_message(exc)))
            sys.exit(1)
        except KeyboardInterrupt:
            say("interrupted")
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def os_error_message(exc: OSError) -> str:
    """What the system refused, on which path, in words (a full disk says how full)."""
    where = exc.filename or "a file"
    if exc.errno == errno.ENOSPC:
        free = ""
        with contextlib.suppress(OSError, TypeError):
            free = f" ({shutil.disk_usage(Path(where).parent).free / 1e6:.1f} MB free there)"
        return f"disk full while writing {where}{free}; the last good site is unchanged"
    return f"{where}: {exc.strerror or exc}"


debug_option = click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=CONFIG_FILE,
    show_default=True,
    help="The site's configuration file.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archivegen", message="%(prog)s %(version)s")
def main() -> None:
    """archivegen: turn scraped news articles into a fast, searchable static archive.

    \b
    Typical use:
      archivegen init my-archive     create a new archive
      archivegen build               build content/ into public/
    """


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@debug_option
@reports_errors
def init(directory: Path, debug: bool) -> None:
    """Create a new archive in DIRECTORY: site.yaml and one example article."""
    created = create_site(directory)
    say(f"Created {len(created)} files in {directory}. Next: cd {directory} && archivegen build")


@main.command()
@config_option
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write the site here instead of output_dir.",
)
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--future", is_flag=True, help="Include articles dated in the future (embargoed).")
@click.option(
    "--clean", is_flag=True, help="Ignore the build cache: render and compare every page."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes to render with [default: one per core].",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Publish even if more than max_shrink (site.yaml, 25%) of the articles are gone.",
)
@click.option("-v", "--verbose", is_flag=True, help="Say which path the build took, and why.")
@debug_option
@reports_errors
def build(
    config_path: Path,
    output: Path | None,
    drafts: bool,
    future: bool,
    clean: bool,
    workers: int | None,
    allow_shrink: bool,
    verbose: bool,
    debug: bool,
) -> None:
    """Build the archive: articles, listings, archives, feeds, sitemaps and search index."""
    overrides = {"output_dir": str(output.resolve())} if output else None
    config = load_config(config_path, overrides)
    options = BuildOptions(
        drafts=drafts, future=future, clean=clean, workers=workers, allow_shrink=allow_shrink
    )
    progress = BarProgress()
    try:
        report = build_site(config, options, progress)
    finally:
        progress.close()
    print_build_summary(report, verbose)


@main.command("import")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--into",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder the Markdown articles are written to [default: the site's content_dir].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "text", "html", "csv", "jsonl", "wordpress", "feed"]),
    default="auto",
    show_default=True,
    help="Input format; auto detects it per file (inside .gz and .zip too), a WordPress "
    "export or an RSS/Atom feed by its content.",
)
@click.option(
    "--wp-types",
    metavar="TYPES",
    help="WordPress export: the post types to import, comma-separated, e.g. post,page "
    "[default: post]; attachments become their posts' images.",
)
@click.option(
    "--wp-status",
    metavar="STATUSES",
    help="WordPress export: the statuses to import, e.g. publish,draft [default: publish]; "
    "all but publish are written with draft: true (the build does not publish them).",
)
@click.option("--map", "pairs", multiple=True, help="CSV/JSONL column mapping, e.g. title=judul.")
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A YAML/JSON file mapping article fields to columns.",
)
@click.option(
    "--set",
    "defaults",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A field for articles whose source lacks it, e.g. category=Nasional (repeatable; "
    "over import.defaults in site.yaml; a category in the source URL comes first).",
)
@click.option(
    "--fallback-date",
    metavar="mtime|updated|capture|YYYY-MM-DD",
    help="Date pages whose text, metadata and URL give none: the file's time, the page's "
    "update or capture time, or a day; such articles say their date is approximate.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes to extract saved pages with [default: one per core].",
)
@click.option("--dry-run", is_flag=True, help="Write nothing; print what would happen.")
@click.option(
    "--force", is_flag=True, help="Merge into articles edited by hand since their import."
)
@click.option(
    "--alias-source-paths",
    is_flag=True,
    help="Record each article's source path (and query) as an alias, for an archive that "
    "takes over the source site's domain: its old links then redirect to the articles.",
)
@click.option(
    "--fetch-images",
    is_flag=True,
    help="Download each article's remote image (once) beside it, named by its digest; the "
    "article then shows the copy and keeps the URL as image_source. Without it, no request.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The site configuration (import defaults, content_dir) [default: site.yaml, if any].",
)
@debug_option
@reports_errors
def import_(
    sources: tuple[str, ...],
    into: Path | None,
    fmt: str,
    wp_types: str | None,
    wp_status: str | None,
    pairs: tuple[str, ...],
    mapping_file: Path | None,
    defaults: tuple[str, ...],
    fallback_date: str | None,
    workers: int | None,
    dry_run: bool,
    force: bool,
    alias_source_paths: bool,
    fetch_images: bool,
    config_path: Path | None,
    debug: bool,
) -> None:
    """Import scraped pages (text dumps, saved HTML, CSV/JSONL), WordPress exports and
    RSS/Atom feeds as Markdown articles.

    SOURCES are files (also .gz, or .zip archives of them), web crawls (.warc, .warc.gz,
    .arc.gz, .wacz), folders (searched recursively; a `wget --mirror` or HTTrack folder gets
    its pages' URLs from their paths) or glob patterns. Importing the same source again
    changes nothing; a known article (same source URL) met again is merged into its file,
    its earlier text kept under .revisions/. Exit status 2 means some pages were not
    imported: each is listed with its reason, and the summary says how to fix them.
    """
    # long for its --help text and the options it hands on; the work is in import_sources.
    # Imported here: `archivegen build` need not load the importers.
    from archivegen.importers import (
        ColumnMapping,
        WordPressSelection,
        import_sources,
        load_mapping,
    )

    config = _import_config(config_path)
    mapping = load_mapping(mapping_file) if mapping_file else ColumnMapping.from_pairs(list(pairs))
    settings = _import_settings(config, defaults, fallback_date)
    settings = dataclasses.replace(settings, alias_source_paths=alias_source_paths)
    wordpress = WordPressSelection.parse(wp_types, wp_status)
    target = into or (config.content_path if config else Path("content"))
    progress = BarProgress()
    try:
        report = import_sources(
            sources,
            target,
            fmt=fmt,
            dry_run=dry_run,
            force=force,
            mapping=mapping,
            settings=settings,
            progress=progress.counter("Importing"),
            workers=workers,
            wordpress=wordpress,
            crawl_progress=progress.meter("Crawls"),
        )
    finally:
        progress.close()
    print_import_report(report, verbose=dry_run)
    if fetch_images and not dry_run:
        _fetch_images(report)
    sys.exit(report.exit_code)


def _fetch_images(report: ImportReport) -> None:
    """The --fetch-images step over the files the import wrote or found unchanged."""
    from archivegen.importers.images import fetch_images

    files = sorted({Path(o.target) for o in report.outcomes if o.target})
    fetched = fetch_images(files)
    click.echo(
        f"Images: {len(fetched.rewritten)} article(s) now show a local copy "
        f"({fetched.downloads} download(s)); {len(fetched.failures)} failed"
    )
    for path, reason in fetched.failures:
        click.echo(f"  {path}: {reason}", err=True)


def _import_settings(
    config: SiteConfig | None, defaults: tuple[str, ...], fallback_date: str | None
) -> ImportSettings:
    """What an import fills in: --set over site.yaml's import defaults, the fallback date."""
    from datetime import UTC, datetime

    from archivegen.importers import Fallback, FieldDefaults, ImportSettings

    return ImportSettings(
        defaults=FieldDefaults.from_pairs(defaults, config.imports.defaults if config else None),
        fallback=Fallback.parse(fallback_date) if fallback_date else None,
        config=config,
        clock=datetime.now(UTC),
    )


def _import_config(path: Path | None) -> SiteConfig | None:
    """The site's configuration for an import: the one named, else ./site.yaml if there is one."""
    if path is not None:
        return load_config(path)
    default = Path(CONFIG_FILE)
    return load_config(default) if default.is_file() else None


@main.command()
@click.argument("target", required=False)
@config_option
@click.option(
    "--dry-run", is_flag=True, help="Print the plan (new, changed, deleted); change nothing."
)
@click.option(
    "--yes", is_flag=True, help="Delete remote files the site no longer has without asking."
)
@click.option(
    "--force", is_flag=True, help="Allow deleting more than the target's max_deletes share."
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Replace files at the target that archivegen did not write but the site also has "
    "(they are listed, and count as archivegen's from then on).",
)
@debug_option
@reports_errors
def deploy(
    target: str | None,
    config_path: Path,
    dry_run: bool,
    yes: bool,
    force: bool,
    adopt: bool,
    debug: bool,
) -> None:
    """Publish the built site to TARGET (a `deploy:` entry of site.yaml), sending only changes."""
    from archivegen.deploy import DeployOptions, deploy_site

    config = load_config(config_path)
    options = DeployOptions(target, dry_run, yes, force, adopt, config_file=config_path)
    print_deploy_report(deploy_site(config, options, confirm_deletions))


@main.command()
@config_option
@click.option(
    "--external",
    is_flag=True,
    help="Also check links to other sites (HEAD requests, retried with backoff, answers "
    "cached for a day (broken) or a week (fine) in .archivegen/).",
)
@click.option(
    "--duplicates",
    is_flag=True,
    help="Instead: list likely copies of one story among the content folder's articles "
    "(syndicated or re-published text), with their similarity; no build needed.",
)
@debug_option
@reports_errors
def check(config_path: Path, external: bool, duplicates: bool, debug: bool) -> None:
    """Check the built site: links, anchors, titles, canonical URLs, feeds and sitemaps."""
    from archivegen.check import check_site
    from archivegen.check.external import cache_path

    config = load_config(config_path)
    if duplicates:
        from archivegen.check.duplicates import check_duplicates

        print_duplicate_report(check_duplicates(config))
        return
    cache = cache_path(config.root)
    report = check_site(config.output_path, config.base_url, external=external, cache_file=cache)
    print_check_report(report)
    sys.exit(1 if report.errors else 0)


@main.command()
@config_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to serve on.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any other than loopback exposes the preview to the network.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@debug_option
@reports_errors
def serve(config_path: Path, port: int, host: str, open_browser: bool, debug: bool) -> None:
    """Build, serve on http://HOST:PORT/, rebuild on every change and reload the browser."""
    from archivegen.serve import ServeOptions, serve_site

    options = ServeOptions(host=host, port=port, open_browser=open_browser)
    serve_site(config_path, options, ServeConsole())
