"""Reminders and chasers by email: the templates (data the coordinator edits), what each day's run
composes, and the outbox that sends each message once and holds it until the relay takes it."""
