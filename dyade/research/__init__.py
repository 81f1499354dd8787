"""Research studies, consent and the pseudonymous export."""
