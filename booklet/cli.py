"""The command line: a thin layer over the pipeline in build.py."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_BUG, EXIT_INPUT, EXIT_USAGE, BookletError, ContentError, Problems
from .project import Project


def _project(path: str | None) -> Project:
    return Project(Path(path).resolve()) if path else Project.find()


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
    from .build import load_and_check

    project = _project(project_path)
    problems = Problems()
    content = load_and_check(project, list(languages), problems, strict=strict)
    for warning in problems.warnings:
        click.echo(str(warning), err=True)
    files = sum(len(lang.sources()) for lang in content.languages.values()) + 1
    click.echo(f"ok: {files} content files in {len(content.languages)} language(s)")


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
    from .build import EDITIONS
    from .build import build as run_build

    project = _project(project_path)
    progress = None if quiet else (lambda message: click.echo(message, err=True))
    editions = EDITIONS if edition == "all" else (edition,)
    if impose and "print" not in editions:
        raise click.UsageError("--impose needs the print edition (--edition print or all)")
    result = run_build(project, list(languages), strict=strict, progress=progress,
                       editions=editions, impose=impose, force=force, jobs=jobs)
    for overrun in result["overruns"]:
        click.echo(f"warning: over the page budget: {overrun}", err=True)
    outputs = result["outputs"]
    pages = sum(output["pages"] for output in outputs)
    rendered = len(result["rendered"])
    if rendered:
        click.echo(f"rendered {rendered} of {len(outputs)} PDF(s) ({pages} pages in all; "
                   f"{len(outputs) - rendered} up to date); "
                   f"report: {project.shown(project.build / 'report.json')}")
    else:
        click.echo(f"up to date: {len(outputs)} PDF(s), {pages} pages; nothing rendered")


@cli.command()
@project_option
@click.argument("language")
def stamp(project_path, language) -> None:
    """Record a language's new translated files as drafts of the current source text.

    Adds a `translation:` record (state draft, fingerprints of the source texts)
    to each file of LANGUAGE that has none; the file before is kept as .bak.
    """
    from .build import load_and_check
    from .translation import stamp as stamp_language

    project = _project(project_path)
    content = load_and_check(project, [language], Problems())
    if language == content.publication.source_language:
        raise BookletError(f"{language!r} is the source language: it has nothing to record")
    stamped = stamp_language(content, language)
    for shown in stamped:
        click.echo(f"recorded as draft: {shown}")
    click.echo(f"{len(stamped)} file(s) recorded")


def _on_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


FAIL_ON = ("missing", "fallback", "stale", "draft", "budget")


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
    from . import status_report
    from .status import load_for_status, parts
    from .status import status as language_status

    states = _states(fail_on)
    project = _project(project_path)
    content, wanted = load_for_status(project, list(languages))
    statuses = language_status(content, wanted)
    if languages:
        statuses = [s for s in statuses if s.code in languages]
    rows = [(part, kind) for part, kind in parts(content)
            if any(s.cell(part) for s in statuses)]
    if output_format == "json":
        text = status_report.as_json(statuses)
    elif output_format == "html":
        title = content.languages[content.publication.source_language].parts["front"] \
            .data["cover"]["title"]
        text = status_report.as_html(statuses, rows, str(title))
    else:
        text = status_report.table(statuses, rows)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)
    failing = [f"{s.code} {c.part} ({c.state})" for s in statuses for c in s.cells
               if c.state in states] + \
        [f"{s.code} {c.part} (over budget)" for s in statuses for c in s.cells
         if "budget" in states and c.over_budget]
    if failing:
        raise BookletError(f"{len(failing)} part(s) in a state given to --fail-on: "
                           + ", ".join(failing[:10]) + (", …" if len(failing) > 10 else ""))


@cli.command()
@project_option
@click.argument("language")
@click.argument("part")
def diff(project_path, language, part) -> None:
    """Show how the source of each stale text of PART changed since LANGUAGE translated it."""
    from .review import changes, word_diff
    from .status import load_for_status

    project = _project(project_path)
    content, wanted = load_for_status(project, [language])
    found = changes(content, wanted, language, part)
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
            runs = word_diff(change.then, change.now)
            if _on_terminal():
                line = "".join(click.style(w, fg="red", strikethrough=True) if t == "-" else
                               click.style(w, fg="green", underline=True) if t == "+" else w
                               for t, w in runs)
            else:  # the wdiff notation, readable in a file or an e-mail
                line = "".join(f"[-{w}-]" if t == "-" else f"{{+{w}+}}" if t == "+" else w
                               for t, w in runs)
            click.echo("  source then: " + change.then)
            click.echo("  source now:  " + change.now)
            click.echo("  changes:     " + line)
        if change.translation is not None:
            click.echo(f"  {language} now:      " + change.translation)
        click.echo()
    click.echo(f"{len(found)} stale text(s)")


@cli.command()
@project_option
@click.argument("language")
@click.argument("part")
@click.option("--reviewer", required=True, metavar="NAME", help="Who reviewed the part.")
def review(project_path, language, part, reviewer) -> None:
    """Mark PART of LANGUAGE reviewed (refused while it is stale, missing or a fallback)."""
    from .review import review as review_part
    from .status import load_for_status

    project = _project(project_path)
    content, wanted = load_for_status(project, [language])
    cell = review_part(content, wanted, language, part, reviewer)
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
    from .load import load
    from .scaffold import new_language as add_language

    project = _project(project_path)
    problems = Problems()
    content = load(project, problems, [])
    problems.raise_if_errors()
    publication = content.publication
    source = content.languages[publication.source_language]
    folder = project.content / publication.source_language
    files = {str(s.path.relative_to(folder)): s for s in source.sources()}
    scaffold = add_language(project, publication, files, code,
                            list(series_ids) or [s.id for s in publication.series])
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
    from .build import EDITIONS
    from .build import build as run_build
    from .load import load_publication
    from .release import release as write_release

    project = _project(project_path)
    editions = EDITIONS if edition == "all" else (edition,)
    progress = None if quiet else (lambda message: click.echo(message, err=True))
    run_build(project, list(languages), progress=progress, editions=editions)
    problems = Problems()
    publication = load_publication(project, problems)
    problems.raise_if_errors()
    codes = list(languages) or publication.languages
    for path in write_release(project, publication, editions, codes, allow_drafts):
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
    from .exchange import export as export_segments

    project = _project(project_path)
    result = export_segments(project, language, file_format, everything,
                             Path(output) if output else None)
    click.echo(result.summary(project))


@cli.command(name="import")
@project_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", "language", metavar="CODE",
              help="The file's language (default: the one the file names; checked against it).")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
def import_(project_path, file, language, dry_run) -> None:
    """Check a translated XLIFF or PO file and merge it into the content, all or nothing."""
    from .merge import merge

    project = _project(project_path)
    result = merge(project, Path(file), language, dry_run)
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(result.summary(dry_run))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--edition", type=click.Choice(["print", "screen"]),
              help="Check as this edition (default: told by the file itself).")
def preflight(files, edition) -> None:
    """Check PDFs for print (PDF/X, boxes, CMYK) or screen (tags, title, language)."""
    from .preflight import preflight as run_preflight

    failed = 0
    for name in files:
        found, findings = run_preflight(name, edition)
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
    from .model import FILE_SHAPES

    project = _project(project_path)
    folder = project.root / "schema"
    folder.mkdir(exist_ok=True)
    for name, shape in FILE_SHAPES.items():
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$id": f"{name}.schema.json", "title": f"booklet {name} file",
                    **shape.json_schema()}
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        click.echo(f"wrote {project.shown(path)}")


@cli.command()
@project_option
@lang_option
@click.option("--quiet", "-q", is_flag=True, help="Do not show progress.")
def proof(project_path, languages, quiet) -> None:
    """Write build/proof/index.html: every built page as an image, flags and changes."""
    from .proof import proof as run_proof

    project = _project(project_path)
    progress = None if quiet else (lambda message: click.echo(message, err=True))
    result = run_proof(project, list(languages), progress=progress)
    click.echo(result.summary(project))


@cli.command()
@project_option
@lang_option
@click.option("--edition", type=click.Choice(["print", "screen", "all"]), default="all",
              show_default=True, help="The edition(s) to build and show.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port on 127.0.0.1 (0: any free one).")
def serve(project_path, languages, edition, port) -> None:
    """Preview the proof in a browser; build and proof again whenever the inputs change."""
    from .build import EDITIONS
    from .serve import serve as run_serve

    project = _project(project_path)
    editions = EDITIONS if edition == "all" else (edition,)
    run_serve(project, list(languages), editions, port, say=click.echo)


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
    except ContentError as error:
        click.echo(error.show(), err=True)
        return error.exit_code
    except BookletError as error:
        click.echo(error.show(), err=True)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted: earlier outputs are left as they were", err=True)
        return 130
    except Exception:  # a bug: keep the traceback for the report
        traceback.print_exc()
        click.echo("internal error: this is a bug in booklet, please report it "
                   "with the traceback above", err=True)
        return EXIT_BUG
    return 0


if __name__ == "__main__":
    sys.exit(main())
