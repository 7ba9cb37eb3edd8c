"""The command line: a thin layer of commands over the Python API (api.py).

Each command parses its options, calls one method of api.Project and prints
what it returned. Exit codes: 0 success, 1 problems in the input (listed, no
traceback), 2 wrong usage, 3 an internal error (a bug: the traceback is shown).
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from .api import EDITIONS, Project, open_project
from .api import preflight as preflight_file
from .errors import (
    EXIT_BUG,
    EXIT_INPUT,
    EXIT_USAGE,
    BookletError,
    ContentError,
    environment_error,
)
from .translate.status import FAIL_ON
from .version import __version__


def _project(path: str | None) -> Project:
    return open_project(path)


def _progress(quiet: bool):
    return None if quiet else (lambda message: click.echo(message, err=True))


def _editions(edition: str) -> tuple[str, ...]:
    return EDITIONS if edition == "all" else (edition,)


project_option = click.option(
    "--project", "project_path", metavar="DIR",
    help="The project folder (default: the one containing the current folder).")
lang_option = click.option(
    "--lang", "languages", multiple=True, metavar="CODE",
    help="Only this language (repeatable). Default: every language of the publication.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
def cli() -> None:
    """Build print-ready PDF factsheets and booklets from per-language content files."""


@cli.command()
@project_option
@lang_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(project_path, languages, strict) -> None:
    """Load and validate all content without rendering."""
    result = _project(project_path).check(languages, strict=strict)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"ok: {result.files} content files in {len(result.languages)} language(s)")


@cli.command()
@project_option
@lang_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--edition", type=click.Choice(["print", "screen", "all"]), default="all",
              show_default=True, help="print: PDF/X-4 with bleed and crop marks; "
              "screen: tagged PDF/UA-1 e-book.")
@click.option("--impose", is_flag=True,
              help="Also write booklet-imposed.pdf: the print booklet as A5, two up on A4.")
@click.option("--force", is_flag=True,
              help="Render every output, even those whose inputs have not changed.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Render N PDFs at a time, each in its own process. Default: one per core.")
@click.option("--quiet", "-q", is_flag=True, help="Do not show progress.")
def build(project_path, languages, strict, edition, impose, force, jobs, quiet) -> None:
    """Build the booklet and every factsheet PDF into build/<edition>/<lang>/.

    Only outputs whose inputs changed since the last build are rendered
    (build/report.json records what each was made from); --force renders all.
    """
    project = _project(project_path)
    editions = _editions(edition)
    if impose and "print" not in editions:
        raise click.UsageError("--impose needs the print edition (--edition print or all)")
    result = project.build(languages, editions, strict=strict, impose=impose, force=force,
                           jobs=jobs, progress=_progress(quiet))
    for notice in result.notices:
        click.echo(f"warning: {notice}", err=True)
    for overrun in result.overruns:
        click.echo(f"warning: over the page budget: {overrun}", err=True)
    outputs, rendered = len(result.outputs), len(result.rendered)
    if rendered:
        click.echo(f"rendered {rendered} of {outputs} PDF(s) ({result.pages} pages in all; "
                   f"{outputs - rendered} up to date); "
                   f"report: {project.shown(project.paths.build / 'report.json')}")
    else:
        click.echo(f"up to date: {outputs} PDF(s), {result.pages} pages; nothing rendered")


@cli.command()
@project_option
@click.argument("language")
def stamp(project_path, language) -> None:
    """Record a language's new translated files as drafts of the current source text.

    Adds a `translation:` record (state draft, fingerprints of the source texts)
    to each file of LANGUAGE that has none; the file before is kept as .bak.
    """
    stamped = _project(project_path).stamp(language)
    for shown in stamped:
        click.echo(f"recorded as draft: {shown}")
    click.echo(f"{len(stamped)} file(s) recorded")


def _on_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _states(value: str) -> set[str]:
    states = {s.strip() for s in value.split(",") if s.strip()}
    unknown = states - set(FAIL_ON)
    if unknown:
        raise click.BadParameter(f"unknown state(s) {', '.join(sorted(unknown))}; "
                                 f"choose from {', '.join(FAIL_ON)}")
    return states


@cli.command()
@project_option
@lang_option
@click.option("--format", "output_format", type=click.Choice(["table", "json", "html"]),
              default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write to FILE instead of the standard output.")
@click.option("--fail-on", default="", metavar="STATES",
              help=f"Exit with 1 if any part is in one of these states (comma-separated: "
              f"{', '.join(FAIL_ON)}; budget = a factsheet over its page budget).")
def status(project_path, languages, output_format, output, fail_on) -> None:
    """Show which parts of each language are missing, draft, reviewed, stale or fallback."""
    states = _states(fail_on)
    report = _project(project_path).status(languages)
    text = {"json": report.as_json, "html": report.as_html, "table": report.table}[
        output_format]()
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)
    failing = report.failing(states)
    if failing:
        raise BookletError(f"{len(failing)} part(s) in a state given to --fail-on: "
                           + ", ".join(failing[:10]) + (", …" if len(failing) > 10 else ""))


@cli.command()
@project_option
@click.argument("language")
@click.argument("part")
def diff(project_path, language, part) -> None:
    """Show how the source of each stale text of PART changed since LANGUAGE translated it."""
    found = _project(project_path).diff(language, part)
    if not found:
        click.echo(f"{language} {part}: nothing is stale")
        return
    for change in found:
        click.echo(click.style(f"{part} {change.path}", bold=True))
        if change.new:
            click.echo("  new in the source: " + change.now)
        elif change.then is None:
            click.echo("  source then: (not kept)")
            click.echo("  source now:  " + change.now)
        else:
            click.echo("  source then: " + change.then)
            click.echo("  source now:  " + change.now)
            click.echo("  changes:     " + _word_changes(change.runs()))
        if change.translation is not None:
            click.echo(f"  {language} now:      " + change.translation)
        click.echo()
    click.echo(f"{len(found)} stale text(s)")


def _word_changes(runs: list[tuple[str, str]]) -> str:
    """Deleted and inserted words: in colour on a terminal, else in wdiff's notation."""
    if _on_terminal():
        return "".join(click.style(w, fg="red", strikethrough=True) if t == "-" else
                       click.style(w, fg="green", underline=True) if t == "+" else w
                       for t, w in runs)
    # readable in a file or an e-mail
    return "".join(f"[-{w}-]" if t == "-" else f"{{+{w}+}}" if t == "+" else w
                   for t, w in runs)


@cli.command()
@project_option
@click.argument("language")
@click.argument("part")
@click.option("--reviewer", required=True, metavar="NAME", help="Who reviewed the part.")
def review(project_path, language, part, reviewer) -> None:
    """Mark PART of LANGUAGE reviewed (refused while it is stale, missing or a fallback)."""
    cell = _project(project_path).review(language, part, reviewer)
    click.echo(f"{language} {part}: reviewed by {cell.reviewer} on {cell.reviewed} "
               f"({cell.file})")


@cli.command("new-language")
@project_option
@click.argument("code")
@click.option("--series", "series_ids", multiple=True, metavar="ID",
              help="A series the language will carry (repeatable). Default: every series.")
def new_language(project_path, code, series_ids) -> None:
    """Add language CODE to the publication and lay out its files for translation.

    Content files are copies of the source language's marked `state: missing`,
    the catalogue starts from locales/messages.pot; existing files are kept.
    """
    scaffold = _project(project_path).new_language(code, series_ids)
    click.echo(f"added {scaffold.name} ({scaffold.english_name}, {code})")
    for shown in scaffold.written:
        click.echo(f"  wrote {shown}")
    for shown in scaffold.kept:
        click.echo(f"  kept  {shown} (already there)")
    click.echo(f"next: translate the files, then booklet status --lang {code}")


@cli.command()
@project_option
@lang_option
@click.option("--edition", type=click.Choice(["print", "screen", "all"]), default="all",
              show_default=True)
@click.option("--allow-drafts", is_flag=True,
              help="Release draft, stale or fallback content too; the manifest says so.")
@click.option("--quiet", "-q", is_flag=True, help="Do not show build progress.")
def release(project_path, languages, edition, allow_drafts, quiet) -> None:
    """Build what changed, then write a zip and a manifest per language and edition.

    The zips (build/release/) are for member groups: the booklet and every
    factsheet, with manifest.json listing each file's SHA-256, pages and the
    translation state and reviewer of each part.
    """
    project = _project(project_path)
    for path in project.release(languages, _editions(edition), allow_drafts,
                                progress=_progress(quiet)):
        click.echo(f"wrote {project.shown(path)}")
    if allow_drafts:
        click.echo("note: released with unreviewed content where the manifests say so", err=True)


@cli.command()
@project_option
@click.argument("language")
@click.option("--format", "file_format", type=click.Choice(["xliff", "po"]), default="xliff",
              show_default=True, help="XLIFF 1.2 (.xlf) or gettext PO (.po).")
@click.option("--all", "everything", is_flag=True,
              help="Every text, not only the missing and stale ones.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), metavar="FILE",
              help="Default: build/exchange/<language>-<date>.<xlf|po>.")
def export(project_path, language, file_format, everything, output) -> None:
    """Write LANGUAGE's missing and stale texts for translation tools (Poedit, OmegaT…)."""
    project = _project(project_path)
    result = project.export(language, file_format, everything, Path(output) if output else None)
    click.echo(result.summary(project.paths))


@cli.command(name="import")
@project_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", "language", metavar="CODE",
              help="The file's language (default: the one the file names; checked against it).")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
def import_(project_path, file, language, dry_run) -> None:
    """Check a translated XLIFF or PO file and merge it into the content, all or nothing."""
    result = _project(project_path).import_file(Path(file), language, dry_run)
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(result.summary(dry_run))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--edition", type=click.Choice(["print", "screen"]),
              help="Check as this edition (default: told by the file itself).")
def preflight(files, edition) -> None:
    """Check PDFs for print (PDF/X, boxes, CMYK) or screen (tags, title, language)."""
    failed = 0
    for name in files:
        found, findings = preflight_file(name, edition)
        ok = all(f.ok for f in findings)
        failed += not ok
        click.echo(f"{name} ({found} edition): {'passed' if ok else 'FAILED'}")
        for finding in findings:
            click.echo(str(finding))
    if failed:
        raise BookletError(f"{failed} of {len(files)} file(s) failed preflight")


@cli.command()
@project_option
def schema(project_path) -> None:
    """Write the JSON Schemas of the content files into schema/."""
    project = _project(project_path)
    for path in project.write_schemas():
        click.echo(f"wrote {project.shown(path)}")


@cli.command()
@project_option
@lang_option
@click.option("--quiet", "-q", is_flag=True, help="Do not show progress.")
def proof(project_path, languages, quiet) -> None:
    """Write build/proof/index.html: every built page as an image, flags and changes."""
    project = _project(project_path)
    result = project.proof(languages, progress=_progress(quiet))
    click.echo(result.summary(project.paths))


@cli.command()
@project_option
@lang_option
@click.option("--edition", type=click.Choice(["print", "screen", "all"]), default="all",
              show_default=True, help="The edition(s) to build and show.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port on 127.0.0.1 (0: any free one).")
def serve(project_path, languages, edition, port) -> None:
    """Preview the proof in a browser; build and proof again whenever the inputs change."""
    _project(project_path).serve(languages, _editions(edition), port, say=click.echo)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; input errors exit 1, usage errors 2, internal bugs 3."""
    try:
        cli.main(args=argv, prog_name="booklet", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return 130
    except click.ClickException as error:
        error.show()
        return EXIT_USAGE if isinstance(error, click.UsageError) else EXIT_INPUT
    except (ContentError, BookletError) as error:
        click.echo(error.show(), err=True)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted: earlier outputs are left as they were", err=True)
        return 130
    except Exception as error:
        problem = environment_error(error) if isinstance(error, OSError) else None
        if problem is not None:  # a full disk, a read-only folder: the machine's, not a bug
            click.echo(problem.show(), err=True)
            return problem.exit_code
        # A bug: keep the traceback for the report.
        traceback.print_exc()
        click.echo("internal error: this is a bug in booklet, please report it "
                   "with the traceback above", err=True)
        return EXIT_BUG
    return 0


if __name__ == "__main__":
    sys.exit(main())
