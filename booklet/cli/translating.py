"""Commands of the translation workflow: status, diff, review, new languages, exchange."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import BookletError
from ..translate.status import FAIL_ON
from .conventions import emit_json, format_option, note, say, use_color
from .group import command, lang_option, project


def _states(value: str) -> set[str]:
    states = {s.strip() for s in value.split(",") if s.strip()}
    unknown = states - set(FAIL_ON)
    if unknown:
        raise click.BadParameter(f"unknown state(s) {', '.join(sorted(unknown))}; "
                                 f"choose from {', '.join(FAIL_ON)}")
    return states


@command()
@lang_option
@click.option("--format", "output_format", type=click.Choice(["table", "json", "html"]),
              default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write to FILE instead of the standard output.")
@click.option("--fail-on", default="", metavar="STATES",
              help=f"Exit with 1 if any part is in one of these states (comma-separated: "
              f"{', '.join(FAIL_ON)}; budget = a factsheet over its page budget).")
def status(languages, output_format, output, fail_on) -> None:
    """Show which parts of each language are missing, draft, reviewed, stale or fallback."""
    states = _states(fail_on)
    report = project().status(languages)
    text = {"json": report.as_json, "html": report.as_html, "table": report.table}[
        output_format]()
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
        note(f"wrote {output}")
    else:
        click.echo(text)
    failing = report.failing(states)
    if failing:
        raise BookletError(f"{len(failing)} part(s) in a state given to --fail-on: "
                           + ", ".join(failing[:10]) + (", …" if len(failing) > 10 else ""))


@command()
@click.argument("language")
@format_option
def stamp(language, output_format) -> None:
    """Record a language's new translated files as drafts of the current source text.

    Adds a `translation:` record (state draft, fingerprints of the source texts)
    to each file of LANGUAGE that has none; the file before is kept as .bak.
    """
    stamped = project().stamp(language)
    if output_format == "json":
        emit_json({"language": language, "recorded": stamped})
        return
    for shown in stamped:
        say(f"recorded as draft: {shown}")
    say(f"{len(stamped)} file(s) recorded")


@command()
@click.argument("language")
@click.argument("part")
@format_option
def diff(language, part, output_format) -> None:
    """Show how the source of each stale text of PART changed since LANGUAGE translated it."""
    found = project().diff(language, part)
    if output_format == "json":
        emit_json({"language": language, "part": part, "stale": [
            {"path": c.path, "new": c.new, "then": c.then, "now": c.now,
             "translation": c.translation} for c in found]})
        return
    if not found:
        say(f"{language} {part}: nothing is stale")
        return
    for change in found:
        say(click.style(f"{part} {change.path}", bold=True))
        if change.new:
            say("  new in the source: " + change.now)
        elif change.then is None:
            say("  source then: (not kept)")
            say("  source now:  " + change.now)
        else:
            say("  source then: " + change.then)
            say("  source now:  " + change.now)
            say("  changes:     " + _word_changes(change.runs()))
        if change.translation is not None:
            say(f"  {language} now:      " + change.translation)
        say()
    say(f"{len(found)} stale text(s)")


def _word_changes(runs: list[tuple[str, str]]) -> str:
    """Deleted and inserted words: in colour where colour is wanted, else in wdiff's notation."""
    if use_color():
        return "".join(click.style(w, fg="red", strikethrough=True) if t == "-" else
                       click.style(w, fg="green", underline=True) if t == "+" else w
                       for t, w in runs)
    # readable in a file or an e-mail
    return "".join(f"[-{w}-]" if t == "-" else f"{{+{w}+}}" if t == "+" else w
                   for t, w in runs)


@command()
@click.argument("language")
@click.argument("part")
@click.option("--reviewer", required=True, metavar="NAME", help="Who reviewed the part.")
@format_option
def review(language, part, reviewer, output_format) -> None:
    """Mark PART of LANGUAGE reviewed (refused while it is stale, missing or a fallback)."""
    cell = project().review(language, part, reviewer)
    if output_format == "json":
        emit_json({"language": language, "part": part, "reviewer": cell.reviewer,
                   "reviewed": cell.reviewed, "file": cell.file})
        return
    say(f"{language} {part}: reviewed by {cell.reviewer} on {cell.reviewed} ({cell.file})")


@command("new-language")
@click.argument("code")
@click.option("--series", "series_ids", multiple=True, metavar="ID",
              help="A series the language will carry (repeatable). Default: every series.")
@format_option
def new_language(code, series_ids, output_format) -> None:
    """Add language CODE to the publication and lay out its files for translation.

    Content files are copies of the source language's marked `state: missing`,
    the catalogue starts from locales/messages.pot; existing files are kept.
    """
    scaffold = project().new_language(code, series_ids)
    if output_format == "json":
        emit_json({"code": code, "name": scaffold.name, "english_name": scaffold.english_name,
                   "written": scaffold.written, "kept": scaffold.kept})
        return
    say(f"added {scaffold.name} ({scaffold.english_name}, {code})")
    for shown in scaffold.written:
        say(f"  wrote {shown}")
    for shown in scaffold.kept:
        say(f"  kept  {shown} (already there)")
    say(f"next: translate the files, then booklet status --lang {code}")


@command()
@click.argument("language")
@click.option("--format", "file_format", type=click.Choice(["xliff", "po"]), default="xliff",
              show_default=True, help="XLIFF 1.2 (.xlf) or gettext PO (.po).")
@click.option("--all", "everything", is_flag=True,
              help="Every text, not only the missing and stale ones.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), metavar="FILE",
              help="Default: build/exchange/<language>-<date>.<xlf|po>.")
@click.option("--report", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True,
              help="How to report what was exported (--format names the file's format).")
def export(language, file_format, everything, output, output_format) -> None:
    """Write LANGUAGE's missing and stale texts for translation tools (Poedit, OmegaT…)."""
    opened = project()
    result = opened.export(language, file_format, everything, Path(output) if output else None)
    if output_format == "json":
        emit_json({"language": language, "format": file_format,
                   "path": opened.shown(result.path), "segments": len(result.segments),
                   **{state: sum(s.state == state for s in result.segments)
                      for state in ("missing", "stale", "current")},
                   "messages": sum(s.is_message for s in result.segments)})
        return
    say(result.summary(opened.paths))


@command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", "language", metavar="CODE",
              help="The file's language (default: the one the file names; checked against it).")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
@format_option
def import_(file, language, dry_run, output_format) -> None:
    """Check a translated XLIFF or PO file and merge it into the content, all or nothing."""
    result = project().import_file(Path(file), language, dry_run)
    if output_format == "json":
        emit_json({"source": result.source, "language": result.language, "dry_run": dry_run,
                   "imported": len(result.imported), "unchanged": result.unchanged,
                   "skipped": result.skipped, "warnings": result.warnings,
                   "files": [{"file": c.shown, "texts": c.texts, "state": c.state}
                             for c in result.changes]})
        return
    for warning in result.warnings:
        say(warning, err=True)
    say(result.summary(dry_run))
