"""The Spanish texts of the education topics (education/seed/topics.py), by slug.

Neutral Latin-American Spanish in the "usted" form, for a patient reading on a phone;
every body has as many paragraphs as in English.
"""

from __future__ import annotations

from typing import TypedDict


class TopicTextES(TypedDict):
    title: str
    summary: str
    body: tuple[str, ...]


TOPICS_ES: dict[str, TopicTextES] = {
    "when-to-seek-emergency-care": {
        "title": "Cuándo buscar atención de emergencia",
        "summary": (
            "Algunos síntomas poco comunes pueden indicar que los nervios de la base de la "
            "columna están bajo presión. Necesitan atención de emergencia el mismo día, no "
            "ejercicio."
        ),
        "body": (
            "La mayoría de las ciáticas mejoran en 6 a 12 semanas. Algunos síntomas son "
            "distintos: pueden indicar presión sobre el conjunto de nervios de la base de la "
            "columna (cola de caballo) y deben revisarse el mismo día.",
            "Vaya ahora a una sala de emergencias o llame al número de emergencias de su zona "
            "si nota cualquiera de estos síntomas: pérdida reciente del control de la vejiga o "
            "del intestino (no puede orinar, se le escapa la orina o el chorro es débil); "
            "adormecimiento alrededor de los genitales, las nalgas o la parte interna de los "
            "muslos (donde se apoyaría en una silla de montar); debilidad en la pierna que va "
            "empeorando; el pie que cae o se arrastra al caminar (pie caído); o síntomas que se "
            "extienden a las dos piernas.",
            "No espere a su próxima cita y no siga con sus ejercicios. También puede reportar "
            "estos síntomas en la aplicación, que avisa a su terapeuta y pausa su programa, "
            "pero la aplicación no reemplaza la atención de emergencia.",
            "Avise también a su terapeuta antes de su próxima sesión si ha tenido cáncer, está "
            "bajando de peso sin proponérselo, tiene fiebre o una infección reciente, tuvo una "
            "caída fuerte o un accidente, toma esteroides o medicinas que debilitan las "
            "defensas, alguna vez se ha inyectado drogas, tiene más de 50 años y este dolor de "
            "espalda es nuevo, o tiene un dolor constante en la noche que no se alivia en "
            "ninguna posición. No son emergencias, pero puede ser necesario que un médico lo "
            "vea antes de seguir con el tratamiento.",
        ),
    },
    "keep-moving": {
        "title": "Descanse uno o dos días como máximo y luego siga moviéndose",
        "summary": (
            "Quédese en cama uno o dos días como máximo. Después, la actividad suave y regular "
            "es parte de su recuperación."
        ),
        "body": (
            "Cuando le duele la pierna, es natural querer quedarse quieto. Uno o dos días de "
            "descanso durante una crisis fuerte están bien, pero no se recomienda quedarse en "
            "cama más tiempo: estar quieto debilita los músculos que sostienen la espalda.",
            "El movimiento ayuda a sanar. La actividad de bajo impacto, como caminar, nadar o "
            "hacer ejercicio en una piscina, lleva líquido y nutrientes al tejido lastimado y "
            "libera endorfinas, los calmantes naturales del cuerpo.",
            "Empiece con caminatas cortas a un paso cómodo y aumente según le indique su "
            "terapeuta. Si el dolor baja más por la pierna, o aumenta y no vuelve a bajar, "
            "deténgase y avise a su terapeuta.",
            "La mayoría de las ciáticas mejoran en 6 a 12 semanas con este tipo de cuidado.",
        ),
    },
    "positions-that-ease-sciatica": {
        "title": "Posiciones y hábitos diarios que alivian la ciática",
        "summary": (
            "Apoye la parte baja de la espalda al sentarse, interrumpa los ratos largos sentado "
            "o de pie, y use calor o frío hasta 15 minutos cada vez."
        ),
        "body": (
            "Al sentarse: siéntese bien atrás en la silla con un rollo lumbar o una toalla "
            "enrollada detrás de la cintura, para que la parte baja de la espalda mantenga su "
            "curva natural. Use el rollo también en el carro.",
            "Pausas: no pase mucho tiempo seguido sentado o de pie. Levántese y camine un par "
            "de minutos con regularidad, o siéntese un rato si ha estado de pie. Cuando pueda, "
            "haga paradas en los viajes largos en carro.",
            "Al levantar cosas: párese cerca de la carga, doble las caderas y las rodillas en "
            "lugar de la espalda, sostenga la carga pegada al cuerpo y levántela estirando las "
            "piernas. Gire con los pies en lugar de torcerse, y pida ayuda con cualquier cosa "
            "pesada o difícil de agarrar.",
            "Calor y frío: una compresa caliente o fría puede aliviar el dolor. Envuelva la "
            "compresa en una toalla, nunca la ponga directamente sobre la piel, y déjela hasta "
            "15 minutos cada vez. Puede repetirlo varias veces al día. No use ninguna de las "
            "dos sobre piel adormecida.",
        ),
    },
    "exercises-as-directed": {
        "title": "Haga sus ejercicios tal como se los indicaron",
        "summary": (
            "Su programa se eligió según la causa de su ciática. Siga los pasos, el número de "
            "repeticiones y las veces al día, y no agregue ejercicios por su cuenta."
        ),
        "body": (
            "La causa de la ciática decide qué ejercicios ayudan. Un movimiento que alivia una "
            "causa puede empeorar otra: inclinarse hacia atrás puede ayudar con una hernia de "
            "disco pero irritar un canal de la columna estrecho, e inclinarse hacia adelante, "
            "al revés. Su terapeuta eligió sus ejercicios para usted.",
            "Siga cada paso en la aplicación y haga el número de series, repeticiones y "
            "segundos que se indican, tantas veces al día como diga su programa. No haga más de "
            "lo que dice su programa y trate de no saltarse días.",
            "No agregue ejercicios de videos o de amigos sin preguntar antes a su terapeuta. "
            "Lleve sus preguntas a su próxima visita o pregunte a través de la clínica.",
            "Registre cada sesión en la aplicación con su dolor antes y después, y hasta dónde "
            "le baja el dolor por la pierna. Así su terapeuta ve si el programa está "
            "funcionando y cuándo pasarlo a la siguiente fase.",
        ),
    },
    "stop-if-pain-increases": {
        "title": "Suspenda cualquier estiramiento que le aumente el dolor",
        "summary": (
            "Si un estiramiento o ejercicio le empeora el dolor, o se lo hace bajar más por la "
            "pierna, debe suspenderlo. Avise a su terapeuta."
        ),
        "body": (
            "Estire hasta sentir un jalón suave, nunca hasta sentir dolor. Si un estiramiento o "
            "ejercicio le aumenta el dolor y el dolor sigue alto después, deje de hacerlo y "
            "avise a su terapeuta.",
            "Fíjese en dónde está el dolor, no solo en qué tan fuerte es. Que el dolor salga de "
            "la pierna y se acerque al centro de la espalda es una buena señal, aunque la "
            "espalda le duela un poco más por un tiempo. Que el dolor baje más por la pierna, o "
            "que el adormecimiento o el hormigueo empeoren, no lo es: suspenda ese movimiento.",
            "Cuando registra una sesión en la aplicación, un ejercicio se marca como "
            "“deténgase y contacte a su terapeuta” y se avisa a su terapeuta si el dolor de "
            "la pierna sube 2 puntos o más, si el dolor baja más por la pierna, o si el dolor "
            "de espalda sube 2 puntos o más sin que el dolor esté saliendo de la pierna. No "
            "vuelva a hacerlo hasta que su terapeuta lo haya revisado con usted.",
        ),
    },
    "who-treats-sciatica": {
        "title": "Quién trata la ciática",
        "summary": (
            "Los fisioterapeutas, los fisiatras, los quiroprácticos, los médicos osteópatas y "
            "los entrenadores deportivos certificados tienen cada uno un papel en el "
            "tratamiento de la ciática."
        ),
        "body": (
            "Los fisioterapeutas evalúan cómo responden su espalda y su pierna al movimiento, "
            "le indican su programa de ejercicios y lo hacen avanzar, y le enseñan a cuidar su "
            "espalda.",
            "Los fisiatras son médicos especializados en medicina física y rehabilitación. "
            "Diagnostican la causa de la ciática y guían su tratamiento.",
            "Los quiroprácticos y los médicos osteópatas (DO) tratan la columna con las manos, "
            "incluida la manipulación de la columna. Los médicos osteópatas también son médicos.",
            "Los entrenadores deportivos certificados ayudan con el ejercicio y con un regreso "
            "seguro al deporte y a la actividad, muchas veces junto con un fisioterapeuta.",
            "En algunos estados de EE. UU. puede ir directamente a un fisioterapeuta; en otros "
            "primero necesita que un médico lo refiera. Su clínica puede decirle cuál es su "
            "caso. La cirugía solo se considera cuando meses de este tipo de cuidado no han "
            "ayudado.",
        ),
    },
    "herniated-disc": {
        "title": "Ciática por hernia de disco",
        "summary": (
            "Parte de un disco entre dos vértebras se salió e irrita la raíz de un nervio. La "
            "mayoría de las hernias mejoran sin cirugía."
        ),
        "body": (
            "Los discos entre las vértebras tienen un anillo exterior resistente y un centro "
            "más blando. Cuando parte del centro se sale a través del anillo (hernia de disco o "
            "disco desplazado), puede presionar e inflamar una de las raíces nerviosas que "
            "forman el nervio ciático.",
            "La mayoría de las personas con ciática por hernia de disco mejoran en 6 a 12 "
            "semanas, sin cirugía.",
            "Muchas personas con hernia de disco notan que inclinarse hacia atrás varias veces, "
            "por ejemplo acostadas boca abajo empujándose hacia arriba con las manos, saca el "
            "dolor de la pierna y lo lleva hacia la espalda. Por eso su programa puede incluir "
            "ejercicios de extensión de McKenzie.",
            "Sentarse encorvado e inclinarse hacia adelante, sobre todo levantar cosas "
            "agachado, cargan el disco. Use un rollo lumbar al sentarse, tome pausas cuando esté "
            "sentado y levante las cosas con las piernas. Evite los estiramientos hacia "
            "adelante a menos que su terapeuta se los haya indicado.",
        ),
    },
    "spinal-stenosis": {
        "title": "Ciática por estenosis espinal",
        "summary": (
            "Los espacios por donde pasan los nervios se han estrechado. Inclinarse hacia "
            "adelante los abre y suele aliviar el dolor de la pierna."
        ),
        "body": (
            "En la estenosis espinal lumbar, el canal y las aberturas por donde pasan los "
            "nervios se han estrechado, así que los nervios tienen menos espacio. Caminar o "
            "estar de pie un rato puede causar dolor, pesadez u hormigueo en las piernas, que "
            "se alivia al sentarse o inclinarse hacia adelante.",
            "Inclinarse hacia adelante (flexión) amplía esos espacios, por eso la flexión suele "
            "aliviar los síntomas, e inclinarse hacia atrás (extensión) los estrecha. Es "
            "probable que su programa use ejercicios de flexión, como llevar las rodillas al "
            "pecho, y evite los de inclinarse hacia atrás.",
            "Por la misma razón, inclinarse un poco hacia adelante, como al empujar un carrito "
            "del supermercado, muchas veces facilita caminar. Aumente las caminatas en tramos "
            "cortos con pausas para sentarse.",
            "Avise a su terapeuta si la distancia que puede caminar se acorta o si siente las "
            "piernas más débiles.",
        ),
    },
    "piriformis-syndrome": {
        "title": "Ciática por síndrome del piriforme",
        "summary": (
            "Un músculo profundo del glúteo, el piriforme, irrita el nervio ciático. Los "
            "estiramientos suaves y el fortalecimiento alrededor de la cadera suelen ayudar."
        ),
        "body": (
            "El piriforme es un músculo pequeño y profundo del glúteo, y el nervio ciático pasa "
            "justo a su lado. Cuando el músculo está tenso o contraído puede irritar el nervio "
            "y mandar dolor por la parte de atrás de la pierna.",
            "El dolor muchas veces empieza en el glúteo, y pasar mucho tiempo sentado puede "
            "empeorarlo.",
            "Es probable que su programa incluya estiramientos del piriforme y de la parte de "
            "atrás del muslo, y ejercicios para fortalecer los músculos alrededor de la cadera. "
            "Estire hasta sentir un jalón suave en el glúteo, nunca hasta sentir dolor, y "
            "sostenga el tiempo que diga su programa.",
            "Evite estar sentado por mucho tiempo y levántese con regularidad. El calor o el "
            "frío, hasta 15 minutos cada vez, pueden aliviar el dolor.",
        ),
    },
    "spondylolisthesis": {
        "title": "Ciática por espondilolistesis",
        "summary": (
            "Una vértebra se deslizó hacia adelante sobre la de abajo y puede presionar un "
            "nervio. Un tronco fuerte y estable es la base del cuidado."
        ),
        "body": (
            "En la espondilolistesis, una vértebra se deslizó hacia adelante sobre la que está "
            "debajo. El deslizamiento puede estrechar el espacio de los nervios e irritarlos.",
            "Fortalecer los músculos profundos del tronco le da estabilidad al nivel que se "
            "deslizó. Es probable que su programa avance desde encontrar la columna neutra y "
            "activar el abdomen hasta ejercicios como el bicho muerto, el perro de caza y el "
            "puente.",
            "Inclinarse hacia atrás todo lo que pueda carga el nivel que se deslizó, así que "
            "evite los estiramientos y ejercicios hacia atrás a menos que su terapeuta se los "
            "haya indicado. Inclinarse suavemente hacia adelante suele ser más cómodo.",
            "Avise a su terapeuta si el dolor o el adormecimiento de la pierna empeoran, o si "
            "nota alguna debilidad nueva.",
        ),
    },
    "degenerative-disc-disease": {
        "title": "Ciática por enfermedad degenerativa de disco",
        "summary": (
            "Los discos se han desgastado con la edad y un nervio está irritado. El movimiento "
            "regular y un tronco fuerte ayudan."
        ),
        "body": (
            "Con la edad, los discos entre las vértebras se desgastan y pierden altura. Un "
            "disco desgastado puede irritar la raíz de un nervio cercano y causar ciática.",
            "Un disco desgastado no es razón para dejar de moverse. La actividad regular de "
            "bajo impacto, como caminar, nadar o hacer ejercicio en una piscina, lleva líquido "
            "y nutrientes al disco, y mantenerse activo mantiene fuertes los músculos que lo "
            "rodean.",
            "Fortalecer el tronco (los músculos del abdomen, la espalda, los glúteos y la "
            "cadera) sostiene la columna, y cambiar de posición seguido alivia la rigidez. En "
            "una crisis, el calor o el frío hasta 15 minutos cada vez y mantenerse activo con "
            "suavidad pueden aliviar el dolor.",
        ),
    },
    "the-first-weeks": {
        "title": "Las primeras semanas: calmar el dolor y seguir moviéndose",
        "summary": (
            "En las primeras seis semanas, el objetivo es aliviar el dolor sin descansar "
            "demasiado: caminatas cortas, calor o frío y sus primeros ejercicios."
        ),
        "body": (
            "Su ciática empezó hace menos de seis semanas (la fase aguda). Ahora el objetivo es "
            "aliviar el dolor sin descansar demasiado.",
            "Siga moviéndose: uno o dos días de descanso en una crisis fuerte están bien; "
            "después, caminatas cortas y frecuentes y sus ejercicios. El calor o el frío, hasta "
            "15 minutos cada vez, pueden aliviar el dolor.",
            "Los primeros ejercicios muchas veces se repiten varias veces al día, por ejemplo "
            "cada dos horas. Hágalos tan seguido como diga su programa y fíjese hacia dónde va "
            "el dolor: que el dolor salga de la pierna es la señal de que están funcionando.",
        ),
    },
    "building-up": {
        "title": "De seis a doce semanas: ganar fuerza",
        "summary": (
            "A medida que el dolor se calma, el programa pasa a la fuerza y la resistencia, "
            "para que la espalda vuelva a aguantar la vida diaria."
        ),
        "body": (
            "Su ciática empezó hace entre seis y doce semanas (la fase subaguda). Por lo "
            "general el dolor ya se está calmando, y el enfoque pasa de aliviarlo a ganar "
            "fuerza y resistencia.",
            "Su terapeuta hará avanzar su programa por fases: primero más repeticiones, luego "
            "versiones más difíciles y después tareas diarias como levantar cosas. Las "
            "caminatas pueden ser más largas.",
            "Mantenga los hábitos que le ayudaron: apoye la espalda al sentarse, tome pausas "
            "para moverse y suspenda cualquier cosa que le haga bajar el dolor por la pierna.",
        ),
    },
    "long-lasting-sciatica": {
        "title": "Cuando la ciática dura más de doce semanas",
        "summary": (
            "El dolor que dura más de tres meses se sigue tratando con ejercicio constante. "
            "Manténgase activo, dosifique su esfuerzo y tenga un plan para las crisis."
        ),
        "body": (
            "Su ciática empezó hace más de doce semanas (la fase crónica). El ejercicio sigue "
            "siendo la base de su cuidado: fortalecimiento, estiramientos y actividad de bajo "
            "impacto, como caminar o nadar.",
            "Dosifique su esfuerzo. Haga más o menos lo mismo cada día, en lugar de mucho en "
            "los días buenos y nada en los malos, y aumente poco a poco.",
            "Tenga un plan para las crisis: uno o dos días de actividad más ligera, calor o frío "
            "hasta 15 minutos, los ejercicios que le alivian y luego de vuelta a su programa "
            "de siempre.",
            "Si meses de este cuidado no han ayudado, hable con su terapeuta y su médico sobre "
            "los siguientes pasos; solo entonces se considera la cirugía.",
        ),
    },
}
