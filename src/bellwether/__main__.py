from bellwether.cli import main

main()
