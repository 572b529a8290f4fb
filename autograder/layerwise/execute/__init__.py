"""Run one notebook in its own limited process: a forking worker ("zygote") per core, optionally
inside a bubblewrap sandbox, and a child per submission with time, memory and process limits."""
