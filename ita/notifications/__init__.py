"""E-mail notifications, for any app: compose a mail per recipient, queue it with the event, send it after commit.

mail (composing and recipients) · delivery (the outbox, the claim and the Celery task) · preferences
(a user's opt-out) · views forms (the /accounts/notifications/ page). The apps above say which events
mail whom (measures.notifications); nothing here knows a plan.
"""
