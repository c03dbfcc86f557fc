import SemsearchCLI

Semsearch.main()
