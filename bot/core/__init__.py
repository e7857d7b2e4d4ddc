"""The platform-free core every feature builds on: message types, callback payloads, the router and the
dispatcher, the per-update context, the core texts, and small runtime helpers (locks, tasks, faults)."""
