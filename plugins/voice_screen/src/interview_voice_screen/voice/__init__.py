"""The ElevenLabs Conversational AI path: agent as code, signed URLs, ingestion and the webhook."""
