"""The pure clinical core of Dyade: no Django, no I/O, tested without a database."""
