"""``python -m bench.glossary`` runs the glossary cost row (see ``bench.glossary.cost``)."""

import sys

from bench.glossary.cost import main

if __name__ == "__main__":
    sys.exit(main())
