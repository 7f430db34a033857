"""Jekyll sites: their ``_config.yml`` (:mod:`.config`), and Liquid as Jekyll renders it (:mod:`.liquid`)."""
