"""What every stage shares: the Problem type and the command error base, safe reading of input
files, atomic writes, folder locks, and which characters a reader cannot see."""
