"""Member pages (issue 3): the list with its exports, a member's record, the create and edit forms,
the data-quality report and the Excel import. One module per page family; `members/urls.py`
names them.

Every member, unit and import job comes through `visible_to(request.user, ...)`: what lies
outside the user's subtree answers 404, as if it did not exist.
"""
