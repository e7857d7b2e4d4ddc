"""Onboarding and settings: consent, province and commune, groups, privacy and account linking."""
