"""tokenworth: what is our AI token spend worth?"""
