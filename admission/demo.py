def load_admission_demo():
    pass
