#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright: nobody.

CHUNK = 4096


def size(path):
    with open(path, "rb") as f:
        return len(f.read(CHUNK))
