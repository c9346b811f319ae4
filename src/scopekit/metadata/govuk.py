"""GOV.UK's own meta tags (`govuk:primary-publishing-organisation`, `govuk:schema-name`…)."""

from __future__ import annotations

from scopekit.metadata.html import HtmlDoc
from scopekit.metadata.model import Fields, clean_text, iso_date, organisation, put

#: GOV.UK's content schemas that are documents published as reports.
REPORTS = frozenset(
    {
        "publication",
        "statistics_announcement",
        "statistical_data_set",
        "research",
        "independent_report",
        "corporate_report",
    }
)


def read(doc: HtmlDoc) -> Fields:
    """The CSL variables GOV.UK's meta tags give: the publishing organisation as publisher
    (and author of a publication), the first publication date, and `report` for a publication."""
    fields: Fields = {}
    if not any(name.startswith("govuk:") for name, _ in doc.meta):
        return fields
    schema = doc.first("govuk:schema-name", "govuk:format")
    kind = None
    if schema:
        kind = "report" if schema[1].strip().lower() in REPORTS else "webpage"
        put(fields, "type", kind, schema[0])
    found = doc.first("govuk:primary-publishing-organisation")
    if found:
        put(fields, "publisher", clean_text(found[1]), found[0])
        if kind == "report":  # a publication is the organisation's own, as GOV.UK cites it
            put(fields, "author", [organisation(found[1])], found[0])
    for tag in ("govuk:first-published-at", "govuk:public-updated-at", "govuk:updated-at"):
        for value in doc.values(tag):
            put(fields, "issued", iso_date(value), tag)
    return fields
