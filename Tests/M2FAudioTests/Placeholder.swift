// Placeholder until the first audio test lands; delete it then.
