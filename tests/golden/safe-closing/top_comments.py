
# -*- coding: utf-8 -*-

# Copyright (c) the authors.
# Licensed under the MIT licence.


def read_all(path):
    with open(path) as f:
        return f.read()
