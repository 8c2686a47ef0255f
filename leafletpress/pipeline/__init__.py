"""Stage 4, the build: plan, skip what is up to date, render in worker processes, write, publish."""
