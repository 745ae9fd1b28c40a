// Placeholder until the first audio source lands; delete it then.
