"""The engineer's day ("오늘"): one phone screen with the next visit first and
then the person's open work by deadline, each card with the one step that comes
next; and the same next step at the top of the staff ticket page.

Why here, on the charter floor: the next step of a ticket depends on the desk's
gates (identity, diagnosis, consent: MT3, MT4), the visits (arrive, checklist,
sign-off) and large-scale work (an approved plan: BS2), and only the floor above
all of them may read them together (the lead's dashboard lives here for the
same reason).

- `steps`: the rules, pure (what comes next, given what is known);
- `selectors`: the reads, a fixed number of queries however many cards;
- `views`: the "오늘" page; `step_panel`: the ticket page's next step and its
  phone action bar (registered with tickets.panels).
"""
