"""Proofs: every built page as an image, the proof site, and the live preview server.
"""
