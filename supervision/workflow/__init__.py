"""The machinery every workflow shares (STYLE: workflow/).

- `steps`: a workflow is a table of steps (roles, from-states, required fields, guards,
  effect) run by one `perform`, which answers 403/404/409/422 the same way everywhere and
  writes the audit event;
- `models` + `deadlines`: a deadline can belong to any record, with its policy as data and
  a stored explanation;
- `subjects`: what the shared sweep and the "what is due" view need to know of each kind of
  record that carries deadlines;
- `sweep`: the one sweep that marks due-soon / missed deadlines and queues notifications;
- `due`: the officer's "what is due" list, across every kind of deadline in scope.
"""
