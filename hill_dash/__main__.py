from hill_dash.cli import main

main()
