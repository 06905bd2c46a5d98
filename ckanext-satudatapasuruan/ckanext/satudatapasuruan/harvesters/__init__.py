"""Harvesters of the portal (ckanext-harvest IHarvester plugins), reachable at the top-level ``harvesters/``.

The code lives inside the package so that a normal install carries it; ``harvesters/`` beside the checkout's
``schemas/`` is a link to this folder.
"""
