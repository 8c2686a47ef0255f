"""Stage 1, what a build reads: leaflets, the clinic file, languages, fonts, formats, project settings."""
