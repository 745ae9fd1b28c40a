// Placeholder until the first encoder test lands; delete it then.
