"""The reader's library: listing, its memo, the user's folder, fetching pages, search."""
