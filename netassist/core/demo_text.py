"""Word material for the demo network: names and message templates in Russian and English.

Russian templates put the same topics in different grammatical cases on purpose (рыбалка /
на рыбалке / рыбалку / рыбалкой), so topics, search and lemmatisation have something real to do.
"""

from __future__ import annotations

MALE_RU = [
    ("Александр", "Саша", "Александрович"), ("Дмитрий", "Дима", "Дмитриевич"),
    ("Сергей", "Серёжа", "Сергеевич"), ("Андрей", "Андрюша", "Андреевич"),
    ("Алексей", "Лёша", "Алексеевич"), ("Михаил", "Миша", "Михайлович"),
    ("Иван", "Ваня", "Иванович"), ("Николай", "Коля", "Николаевич"),
    ("Павел", "Паша", "Павлович"), ("Артём", "Тёма", "Артёмович"),
    ("Максим", "Макс", "Максимович"), ("Евгений", "Женя", "Евгеньевич"),
    ("Владимир", "Вова", "Владимирович"), ("Константин", "Костя", "Константинович"),
]  # fmt: skip
FEMALE_RU = [
    ("Анна", "Аня", "Андреевна"), ("Екатерина", "Катя", "Сергеевна"),
    ("Мария", "Маша", "Ивановна"), ("Ольга", "Оля", "Николаевна"),
    ("Татьяна", "Таня", "Павловна"), ("Наталья", "Наташа", "Михайловна"),
    ("Елена", "Лена", "Дмитриевна"), ("Юлия", "Юля", "Алексеевна"),
    ("Светлана", "Света", "Владимировна"), ("Ирина", "Ира", "Евгеньевна"),
    ("Дарья", "Даша", "Константиновна"), ("Ксения", "Ксюша", "Максимовна"),
]  # fmt: skip
FAMILY_RU = [
    ("Иванов", "Иванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"), ("Соколов", "Соколова"), ("Лебедев", "Лебедева"),
    ("Козлов", "Козлова"), ("Новиков", "Новикова"), ("Морозов", "Морозова"),
    ("Волков", "Волкова"), ("Фёдоров", "Фёдорова"), ("Орлов", "Орлова"),
    ("Белов", "Белова"), ("Егоров", "Егорова"), ("Зайцев", "Зайцева"),
]  # fmt: skip
MALE_EN = ["James", "John", "Michael", "David", "Daniel", "Thomas", "Oliver", "Henry", "Peter",
           "George", "Samuel", "Lucas"]  # fmt: skip
FEMALE_EN = ["Emma", "Olivia", "Sophie", "Emily", "Charlotte", "Grace", "Hannah", "Alice",
             "Laura", "Rachel", "Julia", "Claire"]  # fmt: skip
FAMILY_EN = ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clark", "Walker", "Hall",
             "Young", "King", "Wright", "Green", "Baker", "Turner", "Parker"]  # fmt: skip
ORGS = ["Яндекс", "Сбер", "JetBrains", "Acme Corp", "Tinkoff", "Kaspersky", "Globex",
        "МГУ", "Initech", "Ozon", "Контур", "Stripe"]  # fmt: skip
TITLES = ["разработчик", "дизайнер", "менеджер проектов", "Product Manager", "Engineer",
          "аналитик", "CTO", "Researcher", "юрист", "врач"]  # fmt: skip

# (topic key, messages) — each message in a different grammatical form of the topic word
TOPICS_RU: dict[str, list[str]] = {
    "рыбалка": [
        "Как прошла рыбалка на Ладоге?",
        "В выходные снова собираюсь на рыбалку",
        "Давно не был на рыбалке, скучаю",
        "Рыбалкой теперь всю семью заразил",
        "Привёз с рыбалки двух щук!",
        "Может, съездим на рыбалку в июне?",
    ],
    "поход": [
        "Мы вернулись из похода по Алтаю",
        "Собираем рюкзаки в поход",
        "В походе было холодно, но красиво",
        "Походы — лучший отдых",
        "Фотки с похода скину вечером",
    ],
    "ремонт": [
        "Ремонт на кухне наконец закончили",
        "У нас опять ремонт, живём в пыли",
        "Про ремонт даже не спрашивай",
        "С ремонтом помог брат",
        "Нашёл хорошего мастера для ремонта",
    ],
    "конференция": [
        "Выступаю на конференции в Казани",
        "Конференция прошла отлично",
        "Был на конференции по машинному обучению",
        "Подала доклад на конференцию",
    ],
    "собака": [
        "Собака опять сгрызла тапки",
        "Гуляли с собакой в парке",
        "Купили собаке новый ошейник",
        "Собаки у нас теперь две",
        "Возьмёшь собаку на дачу?",
    ],
    "дача": [
        "Все выходные на даче",
        "Дачу наконец достроили",
        "Поехали к нам на дачу в субботу",
        "На дачах уже клубника",
        "Продаём старую дачу",
    ],
    "английский": [
        "Записалась на курсы английского",
        "Английский даётся тяжело",
        "Сдала экзамен по английскому!",
        "Учу английский по вечерам",
    ],
    "работа": [
        "На работе завал, созвонимся позже",
        "Сменил работу, теперь в новой команде",
        "Работой доволен",
        "Устала от работы, нужен отпуск",
    ],
}
TOPICS_EN: dict[str, list[str]] = {
    "climbing": [
        "Went climbing at the gym again",
        "My climbing shoes finally arrived",
        "Thinking about a climbing trip in May",
        "Climbed my first 6b today!",
    ],
    "marathon": [
        "Signed up for the Berlin marathon",
        "Marathon training is brutal this week",
        "Finished the marathon in 3:58!",
        "Running a half marathon next month",
    ],
    "startup": [
        "Our startup closed the seed round",
        "Startups are exhausting but fun",
        "Pitching the startup to investors on Friday",
        "How's the startup going?",
    ],
    "garden": [
        "The tomatoes in my garden are finally red",
        "Spent the weekend gardening",
        "Planting roses in the garden",
        "Garden party at ours on Saturday?",
    ],
    "conference": [
        "Speaking at the conference in Lisbon",
        "The conference talks are online now",
        "Are you going to the conference this year?",
    ],
}
SMALLTALK_RU = ["Привет! Как дела?", "Спасибо большое!", "Ок, договорились", "Созвонимся вечером?",
                "С днём рождения! 🎉", "Рада тебя слышать", "Хорошо, до завтра", "Ха-ха, точно",
                "Увидимся в четверг", "Как у тебя дела на работе?"]  # fmt: skip
SMALLTALK_EN = ["Hi! How are you?", "Thanks a lot!", "Sounds good", "Talk tonight?",
                "Happy birthday! 🎉", "Great to hear from you", "See you tomorrow", "Haha, true",
                "Let's catch up on Thursday", "How's work these days?"]  # fmt: skip
QUESTIONS_RU = [
    "Ты сможешь посмотреть мой договор на этой неделе?",
    "Когда у тебя будет время встретиться?",
    "Посоветуешь хорошего стоматолога?",
]
QUESTIONS_EN = ["Could you review my slides before Friday?", "When are you free for lunch?",
                "Do you know a good accountant?"]  # fmt: skip
PROMISES_RU = ["Пришлю тебе статью завтра", "Скину фотки вечером", "Позвоню на выходных"]
PROMISES_EN = ["I'll send you the article tomorrow", "I will call you on the weekend"]
CLOSERS_RU = ["Ок, договорились", "Спасибо!", "Хорошо, до связи", "Отлично 👍", "Понял, спасибо"]
CLOSERS_EN = ["Sounds good", "Thanks!", "Great, talk soon", "Perfect 👍", "Got it, thanks"]
