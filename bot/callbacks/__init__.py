"""Call-back requests: the only personal data the service keeps, and only with the
person's explicit consent. Kept apart from the conversations (own database, number
encrypted with Fernet), deleted once used (`take`) or after 7 days (`purge`)."""
