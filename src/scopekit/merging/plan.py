"""The merge itself: the edited DOCX's blocks matched to the build record, their changes
carried into the section files as character edits, then diffed per file.

Blocks are matched by anchor (`_skN`; one whose anchor LibreOffice dropped, by the anchors
around it and its text); without anchors (an older DOCX, text pasted into a new document) by
text similarity, and what cannot be matched is listed. A block whose Markdown changed since
the build is found again by its recorded source; if it cannot be, and the DOCX changed it
too, that is a conflict: both versions are kept.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path

from scopekit.errors import DocumentUnreadable
from scopekit.merging.again import already_there, edited_place, edited_there
from scopekit.merging.align import Aligned, Edit, apply
from scopekit.merging.anchored import match_by_anchor
from scopekit.merging.edited import Comment, EditedBlock, read_edited
from scopekit.merging.emphasis import built_marks, emphasis_edits, inserted_marks
from scopekit.merging.footnotes import AddedNotes
from scopekit.merging.moves import cell_span, docx_version, match_by_text, moved_from, out_of_order
from scopekit.merging.newtext import Context, link_places, new_markdown, unplaced_comments
from scopekit.merging.notes_edited import NoteConflict, note_edit, restyled_note
from scopekit.merging.places import comment_range, line_starts, short, table_end, to_built
from scopekit.merging.record import Built, Record, kept_record, not_this_review
from scopekit.merging.renamed import as_built, renamed_headings
from scopekit.review import Review, load_review
from scopekit.review.model import SOURCES_FILE
from scopekit.wordtext import NEW_NOTE, Change, Paragraph, note_number

MOVABLE = ("paragraph", "item", "heading")  # blocks that can move (not cells)


@dataclass
class Who:
    """The author and date of a change; empty author for an edit made untracked."""

    author: str = ""
    date: str = ""

    def __str__(self) -> str:
        if not self.author:
            return "untracked edit"
        return f"{self.author}, {self.date[:10]}" if self.date else self.author


@dataclass
class FileEdit:
    """A character edit of a section file, with who made it."""

    edit: Edit
    who: list[Who] = field(default_factory=list)


@dataclass
class Conflict:
    """A block changed in the Markdown and in the DOCX since the build."""

    file: str
    line: int
    markdown: str
    docx: str
    who: list[Who] = field(default_factory=list)


@dataclass
class Plan:
    """Everything a merge would do, before anything is written."""

    docx: Path
    review: Review
    record: Record
    matched_by: str  # anchor or text
    edits: dict[str, list[FileEdit]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    not_merged: list[tuple[str, str]] = field(default_factory=list)  # (where, message)
    unmatched: list[str] = field(default_factory=list)
    comments: int = 0
    sources: tuple[str, str] | None = None  # sources.yaml now and with new sources appended
    new_sources: list[str] = field(default_factory=list)
    standing: list[str] = field(default_factory=list)  # files its changes stand suggested in

    def add(self, file: str, edit: Edit, who: list[Who]) -> None:
        self.edits.setdefault(file, []).append(FileEdit(edit, who))


def _who(changes: list[Change]) -> list[Who]:
    return [Who(c.author, c.date) for c in changes] or [Who()]


def _who_made(paragraph: Paragraph, edit: Edit) -> list[Who]:
    """Who made one edit: the tracked insertions in its span of the edited text, else (a
    deletion) the tracked deletions between its neighbours, else an untracked edit."""
    at, found = 0, []
    first, last = edit.edited
    for piece in paragraph.pieces:
        change = piece.change
        if change is not None and change.kind == "del":
            if first - 1 <= at <= last + 1:
                found.append(change)
            continue
        end = at + len(piece.text)
        if change is not None and at < max(last, first + 1) and end > first:
            found.append(change)
        at = end
    return _who(list({(c.author, c.date): c for c in found}.values()))


class Merger:
    """Works out the plan for one edited DOCX and one review folder."""

    def __init__(self, docx: Path, folder: Path, texts: dict[str, str] | None = None) -> None:
        self.review = load_review(folder)
        self.edited = read_edited(docx)
        record, matched_by = self.edited.record, "anchor"
        if record is None:
            record, matched_by = kept_record(folder), "text"
        if record is None:
            raise DocumentUnreadable(
                f"{docx} was not built from this review: it has no scopekit build record, "
                f"and {folder} has no DOCX build to compare it with",
                f"build the DOCX first (scopekit build {shlex.quote(str(folder))} --format docx), "
                "or use scopekit import for a document scopekit did not write",
            )
        not_this_review(docx, record, self.review.meta.title or "", folder)
        if not any(b.paragraph.anchor for b in self.edited.blocks):
            matched_by = "text"
        self.plan = Plan(docx, self.review, record, matched_by)
        self.texts = {s.file: s.text for s in self.review.texts} | (texts or {})
        self.added = AddedNotes(self.review, record.notes, self.edited.notes)
        self.context = Context(  # what a new paragraph's Markdown is written with
            self.review,
            record.notes,
            self.added.citations,
            self.edited.links,
            self.edited.comments,
            link_places(self.edited, record),
        )

    def run(self) -> Plan:
        record, blocks = self.plan.record, self.edited.blocks
        if self.plan.matched_by == "anchor":
            matched = match_by_anchor(blocks, record)
        else:
            matched = match_by_text(blocks, record)
        moved = out_of_order(  # by anchor or by text: the blocks out of the built order
            [b.n for b in matched if b is not None and b.file and b.kind in MOVABLE]
        )
        self.renamed = renamed_headings(blocks, matched)
        found_now = {b.n for b in matched if b is not None}
        deleted = [  # blocks gone, or all deleted: a new paragraph may be one of them, moved
            (built, block.paragraph.text("before"))
            for block, built in zip(blocks, matched)
            if built is not None and built.kind in MOVABLE and not block.paragraph.text().strip()
        ] + [(b, b.text) for b in record.blocks if b.n not in found_now and b.kind in MOVABLE]
        previous: Built | None = None
        self.moved_to: dict[int, int] = {}  # a moved block → where its text now ends
        self.previous_text = ""  # the DOCX text of the block before
        self.merged_to: dict[int, int] = {}  # a block → the end of new text after it, merged
        for index, (block, built) in enumerate(zip(blocks, matched)):
            self.following = next((b for b in matched[index + 1 :] if b is not None), None)
            if built is None:
                text = block.paragraph.text()
                source = moved_from(text, deleted) if text.strip() else None
                if source is not None:
                    deleted = [d for d in deleted if d[0] is not source]
                    self.move(block, source, previous)
                    previous, self.previous_text = source, text
                else:
                    self.new_block(block, previous)
            elif built.n in moved:
                self.move(block, built, previous)
                self.delete(built, _who(block.paragraph.changes))
                previous, self.previous_text = built, block.paragraph.text()
            else:
                self.block(block, built)
                previous, self.previous_text = built, block.paragraph.text()
        found = {b.n for b in matched if b is not None}
        for built in record.blocks:
            if built.n not in found and built.kind != "generated" and built.file:
                if self.plan.matched_by == "anchor":
                    self.delete(built, [Who()])
                elif built.text.strip():
                    self.plan.unmatched.append(f"not found in the DOCX: “{built.text[:60]}”")
        self.notes()
        self.new_sources()
        return self.plan

    def new_sources(self) -> None:
        """The sources made from footnotes added in Word, appended to sources.yaml."""
        if not self.added.sources:
            return
        self.plan.sources = self.added.sources_text()
        keys = ", ".join(f"'{s.key}'" for s in self.added.sources)
        if self.plan.sources is None:
            self.plan.not_merged.append(
                (
                    "sources.yaml",
                    f"new source(s) {keys} from footnotes added in Word could not "
                    "be appended: add them by hand",
                )
            )
            return
        self.plan.new_sources = [s.key for s in self.added.sources]

    # one block

    def located(self, built: Built) -> tuple[int, int] | None:
        """The (start, end) of the block's recorded source in its file as it is now."""
        text = self.texts.get(built.file or "")
        if text is None or built.source is None or not built.line:
            return None
        starts = line_starts(text)
        if built.line - 1 < len(starts):
            start = starts[built.line - 1]
            if text.startswith(built.source, start):
                return start, start + len(built.source)
        if text.count(built.source) == 1:
            start = text.find(built.source)
            return start, start + len(built.source)
        return None

    def block(self, block: EditedBlock, built: Built) -> None:
        paragraph = block.paragraph
        if built.file and built.kind != "generated":
            self.added.resolve(paragraph, _place(built), built.text)
        after = paragraph.text()
        comments = [c for c in paragraph.comment_starts if c in self.edited.comments]
        restyled = self.plan.record.format >= 2 and paragraph.mark_spans() != (built.marks or [])
        if after == built.text and not comments and not restyled:
            return
        if built.kind == "generated" or not built.file:
            if after != built.text:
                where = f"{built.file} line {built.line}" if built.line else built.file
                self.plan.not_merged.append(
                    (
                        built.what or "generated text",
                        f"edited in the DOCX (“{short(after)}”): not merged; make the change "
                        f"in {where or 'the review'}",
                    )
                )
            return
        who = _who(paragraph.changes)
        place = self.located(built)
        if place is None:
            self.conflict(built, after, who)
            return
        if not after.strip() and built.text.strip():
            self.delete(built, who, place)
            return
        start, end = place
        source = self.texts[built.file][start:end]
        if built.kind == "cell":
            span = cell_span(source, built.cell or 0)
            if span is None:
                self.conflict(built, after, who)
                return
            start, end = start + span[0], start + span[1]
            source = self.texts[built.file][start:end]
        notes = [n for n in (note_number(c) for c in built.text) if n is not None]
        aligned = Aligned(source, built.text, notes)
        aligned.extra = self.added.citations
        # (with bold or italic changed, the marks' offsets are those of `after` as it is)
        retyped = after if restyled else as_built(after, built.text, source, self.renamed)
        for edit in aligned.edits(retyped):
            made = inserted_marks(edit, paragraph) if restyled else edit
            self.plan.add(built.file, _shift(made, start), _who_made(paragraph, edit))
        if restyled:
            before = built_marks(built.marks, len(built.text))
            for edit, changes in emphasis_edits(aligned, built.text, before, paragraph):
                self.plan.add(built.file, _shift(edit, start), _who(changes))
        for comment_id in comments:
            self.comment(aligned, built, after, paragraph, self.edited.comments[comment_id], start)
        if NEW_NOTE in after:
            self.plan.not_merged.append(
                (
                    _place(built),
                    "a footnote added in Word cites no URL: add its source with scopekit add",
                )
            )

    def comment(
        self,
        aligned: Aligned,
        built: Built,
        after: str,
        paragraph: Paragraph,
        comment: Comment,
        offset: int,
    ) -> None:
        """`{==covered==}{>>Author, date: text<<}` at the comment's place."""
        self.plan.comments += 1
        first, last = comment_range(paragraph, comment.id)
        b1, b2 = to_built(built.text, after, first), to_built(built.text, after, last)
        s1 = aligned.position(b1)
        s2 = aligned.span(b1, b2)[1] if b2 > b1 else s1
        who = [Who(comment.author, comment.date)]
        if s2 > s1:
            self.plan.add(built.file, _shift(Edit(s1, s1, "{==", raw=True), offset), who)
            closing = "==}" + comment.critic()
            self.plan.add(built.file, _shift(Edit(s2, s2, closing, raw=True), offset), who)
        else:
            self.plan.add(built.file, _shift(Edit(s1, s1, comment.critic(), raw=True), offset), who)

    def delete(self, built: Built, who: list[Who], place: tuple[int, int] | None = None) -> None:
        """A block gone from the DOCX: its lines go (and the blank line after them)."""
        place = place or self.located(built)
        if place is None or built.kind == "cell":
            return
        text = self.texts[built.file]
        start, end = place
        while end < len(text) and text[end] == "\n" and end - place[1] < 2:
            end += 1
        self.plan.add(built.file, Edit(start, end, "", text[start:end]), who)

    def new_block(self, block: EditedBlock, previous: Built | None) -> None:
        """A paragraph with no anchor: new, after the block before it."""
        after = block.paragraph.text()
        if not after.strip():
            return
        shown = f"“{short(after)}”" + unplaced_comments(block.paragraph, self.context)
        if previous is None or not previous.file or previous.kind == "generated":
            self.plan.unmatched.append(f"new text with no place in a section: {shown}")
            return
        if block.in_table:
            self.plan.unmatched.append(f"new table text not merged: {shown}")
            return
        place = self.located(previous) or edited_place(
            self.texts[previous.file],
            docx_version(previous, self.previous_text, self.added.citations),
        )
        if place is not None and previous.kind == "cell":  # a paragraph after the table
            place = table_end(self.texts[previous.file or ""], place[1])
        if place is None:
            self.plan.unmatched.append(f"new paragraph not placed: {shown}")
            return
        self.added.resolve(block.paragraph, _place(previous))
        new = new_markdown(block.paragraph, self.context)
        for problem in dict.fromkeys(new.lost):
            self.plan.not_merged.append((f"new paragraph “{short(after)}”", problem))
        prefix = "\n" if block.is_list and previous.kind == "item" else "\n\n"
        if block.is_list:
            prefix += "- "
        elif block.heading_level:
            prefix += f"{'#' * block.heading_level} "
        elif block.style == "Quote":
            prefix += "> "
        who = _who(block.paragraph.changes)
        at = self.merged_to.get(previous.n, place[1])
        segments = new.after(prefix)
        markdown, text = "".join(t for t, _r in segments), self.texts[previous.file]
        merged = already_there(text, at, markdown)
        if merged is not None:  # this DOCX merged before: the paragraph is there already
            self.merged_to[previous.n] = merged
            return
        starts = (self.located(b) for b in self.plan.record.blocks if b.file == previous.file)
        found = edited_there(text, at, markdown, {p[0] for p in starts if p})
        if found is not None:  # merged before, edited by hand since (said if not sure)
            self.merged_to[previous.n] = found.end
            self.plan.unmatched.extend(found.said(shown, previous.file))
            return
        self.plan.comments += len(new.comments)
        for text, raw in segments:  # a comment's markup as it is, even when suggesting
            made = [Who(c.author, c.date) for c in new.commenters] if raw else who
            self.plan.add(previous.file, Edit(at, at, text, raw=raw), made)

    def move(self, block: EditedBlock, built: Built, previous: Built | None) -> None:
        """A block moved in Word: its Markdown, edits made, after the block now before it
        (a comment on it kept at its end)."""
        paragraph = block.paragraph
        self.added.resolve(paragraph, _place(built))
        place = self.located(built)
        if place is not None:
            built = replace(built, source=self.texts[built.file or ""][place[0] : place[1]])
        text = docx_version(built, paragraph.text(), self.added.citations)
        for comment_id in paragraph.comment_starts:  # kept, at the end of the moved text
            if comment_id in self.edited.comments:
                self.plan.comments += 1
                text += self.edited.comments[comment_id].critic()
        who = _who(paragraph.changes)
        following = self.following
        if (
            built.kind == "item"
            and (previous is None or previous.kind != "item")
            and following is not None
            and following.kind == "item"
            and following.n not in self.moved_to
            and following.file
            and self.located(following)
        ):  # now the first item of a list: before the item after it
            at = self.located(following)[0]
            self.plan.add(following.file, Edit(at, at, text + "\n", raw=True), who)
            return
        if previous is None or not previous.file:
            self.plan.unmatched.append(f"moved paragraph not placed: “{short(text)}”")
            return
        at = self.moved_to.get(previous.n)
        if at is None:
            place = self.located(previous)
            if place is None:
                self.plan.unmatched.append(f"moved paragraph not placed: “{short(text)}”")
                return
            at = place[1]
        joiner = "\n" if built.kind == previous.kind == "item" else "\n\n"
        self.plan.add(previous.file, Edit(at, at, joiner + text, raw=True), who)
        self.moved_to[built.n] = at

    def conflict(self, built: Built, after: str, who: list[Who]) -> None:
        """The Markdown changed there too: keep both, unless it changed the same way."""
        if after == built.text:
            return
        text = self.texts.get(built.file or "", "")
        lines = text.split("\n")
        line = min(built.line or 1, max(len(lines), 1))
        last = min(built.end or line, len(lines))
        current = "\n".join(lines[line - 1 : last])
        theirs = docx_version(built, after, self.added.citations)
        if theirs == current or theirs in text.split("\n\n") or f"\n{theirs}\n" in text:
            return  # the same change on both sides (this DOCX merged already): no conflict
        conflict = Conflict(built.file or "", line, current, theirs, who)
        self.plan.conflicts.append(conflict)
        start = line_starts(text)[line - 1]
        markers = conflict_text(conflict, self.plan.docx.name)
        self.plan.add(conflict.file, Edit(start, start + len(current), markers, raw=True), who)

    def notes(self) -> None:
        """A note's text edited in Word: an own note's Markdown edited, else where to."""
        numbers = {  # a reference's w:id → scopekit's note number (LibreOffice renumbers ids)
            piece.note_id: note_number(piece.text)
            for block in self.edited.blocks
            for piece in block.paragraph.pieces
            if piece.note_id and note_number(piece.text) is not None
        }
        for note_id, text in self.edited.notes.items():
            number = numbers.get(note_id)
            recorded = self.plan.record.notes.get(number) if number is not None else None
            if recorded is None:
                continue
            if " ".join(str(recorded.get("text", "")).split()) == " ".join(text.split()):
                said = restyled_note(self.texts, recorded)
                if note_id in self.edited.restyled_notes and said:
                    self.plan.not_merged.append((f"note {number}", said))
                continue
            made = note_edit(self.review, self.texts, number, recorded, text)
            who = Who(*self.edited.note_changes.get(note_id, ("", "")))
            if isinstance(made, str):
                self.plan.not_merged.append((f"note {number}", made))
            elif isinstance(made, NoteConflict):
                conflict = Conflict(made.file, made.line, made.markdown, made.docx, [who])
                self.plan.conflicts.append(conflict)
                markers = conflict_text(conflict, self.plan.docx.name)
                self.plan.add(made.file, Edit(made.start, made.end, markers, raw=True), [who])
            elif made is not None:
                self.plan.add(made[0], made[1], [who])


def conflict_text(conflict: Conflict, docx: str) -> str:
    """Conflict markers around the two versions (check reports them)."""
    who = "; ".join(dict.fromkeys(str(w) for w in conflict.who))
    return (
        f"<<<<<<< Markdown\n{conflict.markdown}\n=======\n{conflict.docx}\n>>>>>>> {docx} ({who})"
    )


def _shift(edit: Edit, offset: int) -> Edit:
    return Edit(edit.start + offset, edit.end + offset, edit.new, edit.old, edit.raw)


def _place(built: Built) -> str:
    return f"{built.file} line {built.line}"


def plan_merge(docx: Path, folder: Path) -> Plan:
    """What merging `docx` into the review in `folder` would do."""
    return Merger(docx, folder).run()


def merged_texts(plan: Plan, suggest: bool = False) -> dict[str, tuple[str, str]]:
    """Each changed section file: (text now, text merged)."""
    texts = {s.file: s.text for s in plan.review.texts}
    out = {}
    for file, edits in plan.edits.items():
        old = texts[file]
        new = apply(old, [e.edit for e in edits], suggest)
        if new != old:
            out[file] = (old, new)
    if plan.sources is not None:
        out[SOURCES_FILE] = plan.sources
    return out
