"""Raw data exports of a topic: CSV (two dialects), JSON, Polis and XLSX."""
