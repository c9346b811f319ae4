"""`scopekit merge`: a colleague's Word edits and comments back into the section files.

- `record`: the build record (inside the DOCX, or kept in `.scopekit/records/`)
- `edited`: the edited DOCX read with the importer's OOXML reader
- `anchored`: blocks matched by anchor, and those whose anchor LibreOffice dropped
- `align`: a change to a block's built text carried to its Markdown source
- `emphasis`: bold and italic made or unmade in Word, as `**…**` and `*…*`
- `footnotes`: footnote references Word re-made, footnotes typed with a URL (new sources)
- `newtext`: a paragraph added in Word as Markdown: emphasis, links, cross-references,
  citations, comments
- `moves`: matching by text, blocks moved (out of order, or tracked moves), a block's DOCX
  version as Markdown (a conflict's other side)
- `plan`: blocks matched (by anchor, else by text), edits, conflicts, what is not merged
- `suggested`: a merge after `--suggest`, the suggestions standing in a file taken as made
- `report`: diffs with who made each change, and the JSON
- `write`: the files written atomically, the previous ones kept for undo
"""

from scopekit.merging.plan import Plan, merged_texts
from scopekit.merging.report import as_json, file_diffs
from scopekit.merging.suggested import plan_merge
from scopekit.merging.write import UNDO, write_merge

__all__ = ["UNDO", "Plan", "as_json", "file_diffs", "merged_texts", "plan_merge", "write_merge"]
