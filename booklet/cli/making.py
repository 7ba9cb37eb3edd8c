"""Commands that check, build, release and show the PDFs."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from ..api import Shard
from ..api import preflight as preflight_file
from ..errors import BookletError
from .conventions import emit_json, format_option, note, progress, say
from .group import cli, command, edition_option, editions, lang_option, project


@command()
@lang_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@format_option
def check(languages, strict, output_format) -> None:
    """Load and validate all content without rendering."""
    result = project().check(languages, strict=strict)
    if output_format == "json":
        emit_json({"ok": True, "files": result.files, "languages": result.languages,
                   "warnings": [str(w) for w in result.warnings]})
        return
    for warning in result.warnings:
        say(str(warning), err=True)
    say(f"ok: {result.files} content files in {len(result.languages)} language(s)")


def _shard(context, parameter, value: str | None) -> Shard | None:
    if value is None:
        return None
    try:
        return Shard.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@command()
@lang_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@edition_option
@click.option("--impose", is_flag=True,
              help="Also write booklet-imposed.pdf: the print booklet as A5, two up on A4.")
@click.option("--force", is_flag=True,
              help="Render every output, even those whose inputs have not changed.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Render N PDFs at a time, each in its own process. Default: one per core.")
@click.option("--shard", metavar="I/N", callback=_shard,
              help="Build only the I-th of N parts (whole languages, split by expected cost), "
              "and build/report-part.json for merge-reports.")
@format_option
def build(languages, strict, edition, impose, force, jobs, shard, output_format) -> None:
    """Build the booklet and every factsheet PDF into build/<edition>/<lang>/.

    Only outputs whose inputs changed since the last build are rendered
    (build/report.json records what each was made from); --force renders all.
    """
    chosen = editions(edition)
    if impose and "print" not in chosen:
        raise click.UsageError("--impose needs the print edition (--edition print or all)")
    opened = project()
    result = opened.build(languages, chosen, strict=strict, impose=impose, force=force,
                          jobs=jobs, progress=progress(), shard=shard)
    report = opened.shown(opened.paths.build / "report.json")
    if output_format == "json":
        emit_json({"outputs": [output["path"] for output in result.outputs],
                   "rendered": result.rendered, "pages": result.pages,
                   "notices": result.notices, "overruns": result.overruns,
                   "report": report})
        return
    for notice in result.notices:
        say(f"warning: {notice}", err=True)
    for overrun in result.overruns:
        say(f"warning: over the page budget: {overrun}", err=True)
    outputs, rendered = len(result.outputs), len(result.rendered)
    if rendered:
        say(f"rendered {rendered} of {outputs} PDF(s) ({result.pages} pages in all; "
            f"{outputs - rendered} up to date); report: {report}")
    else:
        say(f"up to date: {outputs} PDF(s), {result.pages} pages; nothing rendered")


@command("merge-reports")
@click.argument("folders", nargs=-1, required=True, metavar="DIR...",
                type=click.Path(exists=True))
@format_option
def merge_reports(folders, output_format) -> None:
    """Put the parts of a sharded build together in build/, as one build would have made it.

    Each DIR is the build folder of one `booklet build --shard I/N`, with its
    report-part.json; give every part. Nothing is written unless all are
    complete, built from this project's inputs and intact.
    """
    opened = project()
    result = opened.merge_reports(folders)
    report = opened.shown(opened.paths.build / "report.json")
    if output_format == "json":
        emit_json({"parts": result.parts, "languages": result.languages,
                   "outputs": [output["path"] for output in result.outputs], "report": report})
        return
    say(f"merged {result.parts} part(s): {len(result.outputs)} PDF(s) of "
        f"{', '.join(result.languages)}; report: {report}")


@command()
@lang_option
@edition_option
@click.option("--allow-drafts", is_flag=True,
              help="Release draft, stale or fallback content too; the manifest says so.")
@format_option
def release(languages, edition, allow_drafts, output_format) -> None:
    """Build what changed, then write a zip and a manifest per language and edition.

    The zips (build/release/) are for member groups: the booklet and every
    factsheet, with manifest.json listing each file's SHA-256, pages and the
    translation state and reviewer of each part.
    """
    opened = project()
    written = [opened.shown(path) for path in
               opened.release(languages, editions(edition), allow_drafts, progress=progress())]
    if output_format == "json":
        emit_json({"written": written, "allow_drafts": allow_drafts})
        return
    for shown in written:
        say(f"wrote {shown}")
    if allow_drafts:
        note("note: released with unreviewed content where the manifests say so")


@command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--edition", type=click.Choice(["print", "screen"]),
              help="Check as this edition (default: told by the file itself).")
@format_option
def preflight(files, edition, output_format) -> None:
    """Check PDFs for print (PDF/X, boxes, CMYK) or screen (tags, title, language)."""
    checked = []
    for name in files:
        found, findings = preflight_file(name, edition)
        checked.append({"file": name, "edition": found,
                        "passed": all(f.ok for f in findings),
                        "findings": [{"check": f.check, "ok": f.ok, "message": f.message}
                                     for f in findings]})
        if output_format == "text":
            say(f"{name} ({found} edition): {'passed' if checked[-1]['passed'] else 'FAILED'}")
            for finding in findings:
                say(str(finding))
    if output_format == "json":
        emit_json({"files": checked})
    failed = sum(not c["passed"] for c in checked)
    if failed:
        raise BookletError(f"{failed} of {len(files)} file(s) failed preflight")


@command()
@format_option
def schema(output_format) -> None:
    """Write the JSON Schemas of the content files into schema/."""
    opened = project()
    written = [opened.shown(path) for path in opened.write_schemas()]
    if output_format == "json":
        emit_json({"written": written})
        return
    for shown in written:
        say(f"wrote {shown}")


@command()
@lang_option
@format_option
def proof(languages, output_format) -> None:
    """Write build/proof/index.html: every built page as an image, flags and changes."""
    opened = project()
    result = opened.proof(languages, progress=progress())
    if output_format == "json":
        emit_json({"pdfs": len(result.documents), "pages": result.pages,
                   "rendered": result.rendered, "changed_pages": result.changed_pages,
                   "first": result.first,
                   "index": opened.shown(result.folder / "index.html")})
        return
    say(result.summary(opened.paths))


@command()
@lang_option
@edition_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port on 127.0.0.1 (0: any free one).")
def serve(languages, edition, port) -> None:
    """Preview the proof in a browser; build and proof again whenever the inputs change."""
    project().serve(languages, editions(edition), port, say=say)


@command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell) -> None:
    """Print the script that completes booklet's commands and options in SHELL.

    bash: eval "$(booklet completion bash)" in ~/.bashrc; zsh: the same in
    ~/.zshrc; fish: booklet completion fish > ~/.config/fish/completions/booklet.fish
    """
    complete = get_completion_class(shell)(cli, {}, "booklet", "_BOOKLET_COMPLETE")
    click.echo(complete.source())
