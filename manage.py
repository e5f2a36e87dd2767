#!/usr/bin/env python
from lodestar.cli import main

if __name__ == "__main__":
    main()
