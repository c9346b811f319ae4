"""`check --reporting`: what a scoping review must report, item by item, and where this
review reports it.

`catalogue` lists the items (PRISMA-ScR, PRISMA-S, rapid review) as data; `rules` judges
each from the review's fields (`assess` has the statuses and the helpers the rules share);
`flow` has the flow of records the diagram shows. `table.assess(review)` gives the table; its
missing warning-level items are `reporting-item` warnings.
"""
