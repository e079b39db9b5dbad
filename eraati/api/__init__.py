"""The open data API: read-only JSON under /api/v1 (organisations, topics, shown comments,
published results) with its OpenAPI document and a page of documentation."""
