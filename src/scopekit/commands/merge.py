"""`scopekit merge`: print per section file what a colleague's Word edits would change;
write them with `--apply`, or as CriticMarkup with `--suggest`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from scopekit.commands.output import shell_path
from scopekit.merging import as_json, file_diffs, merged_texts, plan_merge, write_merge


def run(docx: str, folder: str, apply: bool, suggest: bool, as_json_output: bool) -> int:
    """Merge `docx` into the review in `folder`; 0 merged or nothing, 1 conflicts."""
    plan = plan_merge(Path(docx), Path(folder))
    diffs = file_diffs(plan, suggest)
    undo = None
    if (apply or suggest) and diffs:
        merged = merged_texts(plan, suggest)
        undo = str(write_merge(plan, merged))
    code = 1 if plan.conflicts else 0
    if as_json_output:
        data = as_json(plan, diffs, apply and bool(diffs), suggest and bool(diffs), undo)
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return code
    matched = "by anchors" if plan.matched_by == "anchor" else "by text similarity (no anchors)"
    typer.echo(
        f"{docx} → {folder}: built from the review as of {plan.record.built[:10]}, "
        f"paragraphs matched {matched}"
    )
    for diff in diffs:
        typer.echo(diff.text(), nl=False)
    for conflict in plan.conflicts:
        typer.echo(
            f"conflict: {conflict.file}:{conflict.line} changed in the Markdown and in the DOCX "
            "since the build; both versions kept between conflict markers"
        )
    for where, message in plan.not_merged:
        typer.echo(f"not merged: {where}: {message}")
    for line in plan.unmatched:
        typer.echo(f"unmatched: {line}")
    for key in plan.new_sources:
        typer.echo(f"new source '{key}' in sources.yaml, from a footnote added in Word: check it")
    if plan.comments:
        typer.echo(f"{plan.comments} comment(s) as CriticMarkup {{>>…<<}}")
    for file in plan.standing:
        typer.echo(
            f"this DOCX's changes stand as CriticMarkup suggestions in {file}: "
            "accept or reject them there"
        )
    if not diffs:
        typer.echo("nothing to merge")
    elif undo:
        done = "suggested as CriticMarkup in" if suggest else "merged into"
        back = f"cp -R {shell_path(f'{undo}/.')} {shell_path(f'{folder}/')}"
        typer.echo(f"{done} {len(diffs)} file(s); to undo: {back}")
    else:
        typer.echo("nothing written: --apply writes these changes, --suggest as CriticMarkup")
    return code
