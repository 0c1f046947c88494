def twice(x):
    y = x + x
    return y
