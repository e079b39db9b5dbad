"""Topic management by organisation admins: editing, files, polls, preview, lifecycle, results."""
