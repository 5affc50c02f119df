"""Review lifecycle: stages, rule sets, the deadline engine, pauses and agency returns."""
