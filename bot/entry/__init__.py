"""The entry points of `coach`: the only modules of the package that import the composition root
(``bot.app``), kept together: ``run`` (the real bot, polling or ``webhook``), ``chat`` (offline in
the terminal) and ``dispatch`` (one scheduler sweep)."""
