"""This folder is also the package reader.data.samples of the installed app (setup.py maps it),
so importlib.resources finds its files in a wheel and an editable install alike."""
