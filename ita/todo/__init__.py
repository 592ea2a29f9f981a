"""What waits for each signed-in person (the to-do card of every home page), and what changed for an auditor.

- registry: the to-do items and the providers apps register (ita's own in ita.todo.providers,
  measures' in its AppConfig.ready(): the core never names the apps above it);
- changes: the auditor's "what changed since you last marked it seen", per assigned organisation;
- views/urls: the one write, the auditor's "seen" mark (a GET never writes).
"""
