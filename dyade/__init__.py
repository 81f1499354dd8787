"""Dyade: software for an integrative couples- and sex-therapy practice."""
