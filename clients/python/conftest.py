"""Puts this folder on the import path so the tests can import dtos."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
