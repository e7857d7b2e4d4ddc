"""Officers and broadcasts: officer scope, audiences and recipient counts, the broadcast outbox, login links."""
