// Placeholder until the first encoder source lands; delete it then.
